import { describe, expect, it } from "vitest";
import { runNatsNodeLoss } from "../src/drills/nats-node-loss.js";
import { runShortDrill } from "./support/short-drill.js";

describe("nats-node-loss --short", () => {
  it("SIGKILLs the stream leader of a real 3-node cluster mid-load, restarts it, and every order's event is consumed exactly once", async () => {
    const { verdict, table, passed, progress, value } = await runShortDrill(runNatsNodeLoss);

    expect(passed, table).toBe(true);
    // A node really went down and came back: the kill, the new leader, the catch-up.
    expect(verdict.actions.filter((action) => action.startsWith("SIGKILL"))).toHaveLength(1);
    expect(verdict.actions.filter((action) => action.startsWith("restarted"))).toHaveLength(1);
    expect(
      progress.some((line) => /new leader n\d after \d+ ms/.test(line)),
      table,
    ).toBe(true);
    expect(
      progress.some((line) => /restarted and caught up/.test(line)),
      table,
    ).toBe(true);
    expect(value("nodes killed (SIGKILL) / restarted")).toMatch(/^1 \/ 1 \(n\d\)$/);
    // The promise, as numbers.
    const placed = value("orders placed (confirmed)");
    expect(placed).toBeGreaterThan(50);
    expect(value("events consumed (applied by the inbox consumer)")).toBe(placed);
    expect(value("duplicates (applied twice)")).toBe(0);
    expect(value("lost (placed, never consumed)")).toBe(0);
  }, 150_000);
});
