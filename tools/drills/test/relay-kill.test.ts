import { describe, expect, it } from "vitest";
import { runRelayKill } from "../src/drills/relay-kill.js";
import { runShortDrill } from "./support/short-drill.js";

describe("relay-kill --short", () => {
  it("SIGKILLs the order-service process twice under orders and restarts it: every committed order's event is consumed exactly once", async () => {
    const { verdict, table, passed, value } = await runShortDrill(runRelayKill);

    expect(passed, table).toBe(true);
    expect(verdict.actions.filter((action) => action.startsWith("SIGKILL"))).toHaveLength(2);
    expect(value("orders committed")).toBeGreaterThan(20);
    expect(value("duplicates (applied twice)")).toBe(0);
    expect(value("lost (committed, never consumed)")).toBe(0);
  }, 150_000);
});
