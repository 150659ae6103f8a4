import { describe, expect, it } from "vitest";
import { drillPassed } from "../src/drill.js";
import { type NodeLossRound, nodeLossMeasurements } from "../src/drills/nats-node-loss-verdict.js";
import type { OrderEventLedger } from "../src/order-flow/order-event-ledger.js";
import { renderVerdict } from "../src/verdict-table.js";

const round: NodeLossRound = {
  node: "n2",
  killedAt: 1_000,
  electedAfterMs: 4_200,
  newLeader: "n3",
  restartedAt: 6_000,
  caughtUpAfterMs: 300,
  seenBehind: true,
  flowResumedAfterMs: 5_100,
};

const clean: OrderEventLedger = {
  ordersConfirmed: 3,
  ordersStored: 3,
  outbox: { published: 3, pending: 0, deadLettered: 0 },
  relay: {
    rowsRetried: 0,
    mostFailedAttempts: 0,
    maxCommitToPublishedMs: 20,
    sampleError: undefined,
  },
  stream: { messages: 3, distinctEvents: 3 },
  consumer: { applied: 3, distinctEvents: 3 },
  projections: [{ consumer: "order-summary", applied: 3 }],
  appliedTwice: 0,
  lost: [],
};

function verdictOf(ledger: OrderEventLedger, rounds = [round], failuresByCode = {}) {
  return {
    drill: "nats-node-loss",
    actions: [],
    measurements: nodeLossMeasurements({
      plannedRounds: 1,
      rounds,
      failuresByCode,
      ledger,
      streamReadFrom: rounds.length > 0 ? "n2" : undefined,
      maxCommitToAppliedMs: 6_000,
    }),
  };
}

function brokenRows(verdict: ReturnType<typeof verdictOf>): string[] {
  return verdict.measurements.filter((m) => m.holds === false).map((m) => m.name);
}

describe("the nats-node-loss verdict", () => {
  it("passes when every confirmed order's event was published and applied once", () => {
    const verdict = verdictOf(clean);
    expect(drillPassed(verdict)).toBe(true);
    expect(renderVerdict(verdict)).toContain("PASSED: every promise of nats-node-loss held");
  });

  it("fails, naming the rows, on a duplicate apply or a lost event", () => {
    const verdict = verdictOf({
      ...clean,
      consumer: { applied: 3, distinctEvents: 2 },
      appliedTwice: 1,
      lost: ["order-3"],
    });
    expect(drillPassed(verdict)).toBe(false);
    expect(brokenRows(verdict)).toEqual([
      "events consumed (applied by the inbox consumer)",
      "duplicates (applied twice)",
      "lost (placed, never consumed)",
    ]);
    expect(renderVerdict(verdict)).toMatch(/FAILED: events consumed .*, duplicates .*, lost /);
  });

  it("fails when no node was killed, when PlaceOrder failed, or when an event is stuck in the outbox", () => {
    expect(brokenRows(verdictOf(clean, []))).toEqual([
      "nodes killed (SIGKILL) / restarted",
      "killed node reported behind while down",
      "stream read from (leader after the drill)",
    ]);
    expect(brokenRows(verdictOf(clean, [{ ...round, seenBehind: false }]))).toEqual([
      "killed node reported behind while down",
    ]);
    expect(brokenRows(verdictOf(clean, [round], { UNAVAILABLE: 2 }))).toEqual([
      "PlaceOrder failures by code",
    ]);
    const stuck = verdictOf({
      ...clean,
      outbox: { published: 2, pending: 1, deadLettered: 0 },
      stream: { messages: 2, distinctEvents: 2 },
      consumer: { applied: 2, distinctEvents: 2 },
      projections: [{ consumer: "order-summary", applied: 2 }],
      lost: ["order-3"],
    });
    expect(brokenRows(stuck)).toContain("events left in outbox (pending / dead-lettered)");
    expect(brokenRows(stuck)).toContain("order-service projections that applied them");
  });

  it("counts a copy stored twice in the stream as context, not as a broken promise", () => {
    const verdict = verdictOf({ ...clean, stream: { messages: 4, distinctEvents: 3 } });
    expect(drillPassed(verdict)).toBe(true);
    expect(
      verdict.measurements.find((m) => m.name === "copies stored twice (inbox absorbs them)")
        ?.value,
    ).toBe(1);
  });
});
