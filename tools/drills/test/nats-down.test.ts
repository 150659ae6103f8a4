import { describe, expect, it } from "vitest";
import { runNatsDown } from "../src/drills/nats-down.js";
import { runShortDrill } from "./support/short-drill.js";

describe("nats-down --short", () => {
  it("stops the drill's own nats-server under orders: orders keep committing, then every event is published and consumed once", async () => {
    const { verdict, table, passed, value } = await runShortDrill(runNatsDown);

    expect(passed, table).toBe(true);
    expect(
      verdict.actions.some((action) => action.startsWith("stopped nats-server")),
      table,
    ).toBe(true);
    expect(value("orders committed while the broker was down")).toBeGreaterThan(0);
    expect(value("duplicates (applied twice)")).toBe(0);
    expect(value("lost (committed, never consumed)")).toBe(0);
  }, 150_000);
});
