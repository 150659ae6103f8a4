import { describe, expect, it } from "vitest";
import { drillPassed } from "../src/drill.js";
import { postgresDownMeasurements } from "../src/drills/postgres-down-verdict.js";
import { slowDependencyMeasurements } from "../src/drills/slow-dependency-verdict.js";
import type { CallSample } from "../src/edge-flow/connect-call-load.js";
import type { OrderEventLedger } from "../src/order-flow/order-event-ledger.js";
import { orderEventMeasurements } from "../src/order-flow/order-event-measurements.js";

// The verdict rules of the edge drills, on made-up samples: each broken promise fails the drill.

const call = (startedAt: number, code: string, ms = 10, note?: string): CallSample => ({
  startedAt,
  ms,
  status: code === "ok" ? 200 : code === "hung" ? 0 : 503,
  code,
  ...(note === undefined ? {} : { note }),
});

describe("postgres-down verdict", () => {
  const stoppedAt = 1_000;
  const upAt = 2_000;
  const readiness = [
    { at: 1_100, ready: false },
    { at: 2_100, ready: true },
  ];
  const healthy = [call(0, "ok"), call(1_200, "unavailable"), call(2_200, "ok")];
  const verdict = (samples: CallSample[]) => ({
    drill: "postgres-down",
    actions: [],
    measurements: postgresDownMeasurements({
      samples,
      readiness,
      stoppedAt,
      upAt,
      endedAt: 3_000,
      failFastMs: 3_000,
    }),
  });

  it("passes when calls fail fast with UNAVAILABLE while down and succeed after", () => {
    expect(drillPassed(verdict(healthy))).toBe(true);
  });

  it.each([
    ["an INTERNAL while down", call(1_300, "internal")],
    ["a call hung to the client's timeout", call(1_300, "hung", 10_000)],
    ["a call past the gateway's deadline", call(1_300, "deadline_exceeded", 5_000)],
    ["a failure after recovery", call(2_500, "unavailable")],
  ])("fails on %s", (_what, bad) => {
    expect(drillPassed(verdict([...healthy, bad]))).toBe(false);
  });

  it("fails when no call succeeds after the restart", () => {
    expect(drillPassed(verdict([call(0, "ok"), call(1_200, "unavailable")]))).toBe(false);
  });
});

describe("slow-dependency verdict", () => {
  const input = (dashboards: CallSample[], orderReads: CallSample[]) => ({
    drill: "slow-dependency",
    actions: [],
    measurements: slowDependencyMeasurements({
      dashboards,
      orderReads,
      slowFrom: 1_000,
      slowUntil: 2_000,
      delayMs: 200,
      budgetMs: 800,
      answerWithinMs: 1_500,
    }),
  });
  const dashboards = [call(0, "ok"), call(1_100, "ok", 810, "profile"), call(2_500, "ok")];
  const reads = [call(0, "ok"), call(1_100, "ok"), call(2_500, "ok")];

  it("passes when dashboards degrade within budget and order reads are untouched", () => {
    expect(drillPassed(input(dashboards, reads))).toBe(true);
  });

  it.each([
    ["a dashboard past the budget", [...dashboards, call(1_200, "ok", 2_100, "profile")], reads],
    ["a failed dashboard", [...dashboards, call(1_200, "deadline_exceeded", 900)], reads],
    [
      "no degraded dashboard while slow",
      [call(0, "ok"), call(1_100, "ok", 20), call(2_500, "ok")],
      reads,
    ],
    ["a failed order read", dashboards, [...reads, call(1_300, "unavailable")]],
    [
      "a dashboard still degraded at the end",
      [...dashboards, call(2_900, "ok", 810, "profile")],
      reads,
    ],
  ])("fails on %s", (_what, dashboardSamples, readSamples) => {
    expect(drillPassed(input(dashboardSamples, readSamples))).toBe(false);
  });
});

describe("order-event rows (relay-kill, nats-down)", () => {
  const ledger = (changes: Partial<OrderEventLedger> = {}): OrderEventLedger => ({
    ordersConfirmed: 3,
    ordersStored: 3,
    outbox: { published: 3, pending: 0, deadLettered: 0 },
    relay: {
      rowsRetried: 0,
      mostFailedAttempts: 0,
      maxCommitToPublishedMs: 5,
      sampleError: undefined,
    },
    stream: { messages: 3, distinctEvents: 3 },
    consumer: { applied: 3, distinctEvents: 3 },
    projections: [{ consumer: "order-service-order-summaries", applied: 3 }],
    appliedTwice: 0,
    lost: [],
    ...changes,
  });
  const passes = (changes: Partial<OrderEventLedger>, failuresAllowed = false) =>
    drillPassed({
      drill: "order-flow",
      actions: [],
      measurements: orderEventMeasurements({
        ledger: ledger(changes),
        committed: 3,
        failuresByCode: failuresAllowed ? { UNAVAILABLE: 4 } : {},
        failuresAllowed,
        maxCommitToAppliedMs: 10,
      }),
    });

  it("passes when every committed order's event was published and applied once", () => {
    expect(passes({})).toBe(true);
    expect(passes({}, true)).toBe(true);
  });

  it.each<[string, Partial<OrderEventLedger>]>([
    ["an event applied twice", { appliedTwice: 1, consumer: { applied: 4, distinctEvents: 3 } }],
    ["a lost event", { lost: ["o-3"], consumer: { applied: 2, distinctEvents: 2 } }],
    ["an event left in the outbox", { outbox: { published: 2, pending: 1, deadLettered: 0 } }],
    [
      "a projection behind",
      { projections: [{ consumer: "order-service-order-summaries", applied: 2 }] },
    ],
  ])("fails on %s", (_what, changes) => {
    expect(passes(changes)).toBe(false);
  });
});
