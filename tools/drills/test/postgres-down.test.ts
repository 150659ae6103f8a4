import { describe, expect, it } from "vitest";
import { runPostgresDown } from "../src/drills/postgres-down.js";
import { runShortDrill } from "./support/short-drill.js";

describe("postgres-down --short", () => {
  it("stops the service's own Postgres under GetUser load: fast UNAVAILABLE, no INTERNAL, no hang, recovery without a restart", async () => {
    const { verdict, table, passed, value } = await runShortDrill(runPostgresDown);

    expect(passed, table).toBe(true);
    expect(
      verdict.actions.some((action) => action.startsWith("stopped Postgres")),
      table,
    ).toBe(true);
    expect(value("answered INTERNAL (500), whole run")).toBe(0);
    expect(value("hung or past the deadline (504), whole run")).toBe(0);
    expect(value("answered UNAVAILABLE (503) while down")).toBeGreaterThan(0);
  }, 120_000);
});
