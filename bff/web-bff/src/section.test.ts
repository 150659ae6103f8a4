import * as grpc from "@grpc/grpc-js";
import { createLogger } from "@switchyard/logging";
import { describe, expect, it } from "vitest";
import { startDeadlineBudget } from "./deadline-budget.js";
import { degradedSections, runSection, timedOutReason } from "./section.js";

const section = {
  name: "orders",
  unavailableReason: "orders are temporarily unavailable",
};

function grpcError(code: grpc.status, details: string): Error {
  return Object.assign(new Error(details), { code, details, metadata: new grpc.Metadata() });
}

describe("runSection", () => {
  it("hands the call the budget left as its deadline and returns its value", async () => {
    const budget = startDeadlineBudget({ budgetMs: 500 });
    let givenDeadlineMs = 0;
    const outcome = await runSection(budget, {
      ...section,
      call: async (deadlineMs) => {
        givenDeadlineMs = deadlineMs;
        return "rows";
      },
    });
    expect(outcome).toEqual({ ok: true, value: "rows" });
    expect(givenDeadlineMs).toBeGreaterThan(450);
    expect(givenDeadlineMs).toBeLessThanOrEqual(500);
  });

  it("gives up on a call that never settles when the budget ends", async () => {
    const budget = startDeadlineBudget({ budgetMs: 50 });
    const started = performance.now();
    const outcome = await runSection(budget, { ...section, call: () => new Promise(() => {}) });
    expect(performance.now() - started).toBeLessThan(80);
    expect(outcome).toMatchObject({ ok: false, section: "orders", reason: timedOutReason });
  });

  it("aborts the call's signal when it gives up on it, so the backend call is cancelled", async () => {
    let given: AbortSignal | undefined;
    const outcome = await runSection(startDeadlineBudget({ budgetMs: 30 }), {
      ...section,
      call: (_deadlineMs, signal) => {
        given = signal;
        return new Promise(() => {});
      },
    });
    expect(outcome).toMatchObject({ ok: false, reason: timedOutReason });
    await new Promise((resolve) => setImmediate(resolve));
    expect(given?.aborted).toBe(true);
  });

  it("passes the caller going away on to the call", async () => {
    const caller = new AbortController();
    let given: AbortSignal | undefined;
    const running = runSection(
      startDeadlineBudget({ budgetMs: 5_000 }),
      {
        ...section,
        call: (_deadlineMs, signal) => {
          given = signal;
          return new Promise((_resolve, reject) =>
            signal.addEventListener("abort", () => reject(new Error("cancelled"))),
          );
        },
      },
      caller.signal,
    );
    caller.abort();
    await running;
    expect(given?.aborted).toBe(true);
  });

  it("does not call a backend once the budget is spent", async () => {
    let called = false;
    const outcome = await runSection(startDeadlineBudget({ budgetMs: 0 }), {
      ...section,
      call: async () => {
        called = true;
      },
    });
    expect(called).toBe(false);
    expect(outcome).toMatchObject({ ok: false, reason: timedOutReason });
  });

  it("reports DEADLINE_EXCEEDED as timed out and UNAVAILABLE with the section's own words", async () => {
    const budget = startDeadlineBudget({ budgetMs: 500 });
    const late = await runSection(budget, {
      ...section,
      call: () => Promise.reject(grpcError(grpc.status.DEADLINE_EXCEEDED, "Deadline exceeded")),
    });
    const down = await runSection(budget, {
      ...section,
      call: () =>
        Promise.reject(grpcError(grpc.status.UNAVAILABLE, "connect ECONNREFUSED 10.0.0.7:50052")),
    });
    expect(late).toMatchObject({ ok: false, reason: timedOutReason });
    expect(down).toMatchObject({ ok: false, reason: "orders are temporarily unavailable" });
  });

  it("keeps a peer's domain error, so the screen can fail on NOT_FOUND", async () => {
    const outcome = await runSection(startDeadlineBudget({ budgetMs: 500 }), {
      ...section,
      call: () => Promise.reject(grpcError(grpc.status.NOT_FOUND, "user u1 was not found")),
    });
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.error.kind).toBe("not-found");
  });
});

describe("degradedSections", () => {
  it("lists only the failed sections, with their client-safe reasons", async () => {
    const budget = startDeadlineBudget({ budgetMs: 500 });
    const ok = await runSection(budget, { ...section, name: "profile", call: async () => 1 });
    const failed = await runSection(budget, {
      ...section,
      call: () => Promise.reject(grpcError(grpc.status.INTERNAL, "stack trace here")),
    });
    const logger = createLogger({ service: "test", level: "silent" });
    expect(degradedSections([ok, failed], logger)).toEqual([
      { section: "orders", reason: "orders are temporarily unavailable" },
    ]);
  });
});
