import { describe, expect, it } from "vitest";
import { runClosedLoop } from "./closed-loop.js";

describe("runClosedLoop", () => {
  it("keeps `concurrency` requests in flight and reports throughput and latency", async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    const result = await runClosedLoop(
      async () => {
        inFlight += 1;
        maxInFlight = Math.max(maxInFlight, inFlight);
        await new Promise((resolve) => setTimeout(resolve, 20));
        inFlight -= 1;
      },
      { concurrency: 5, durationMs: 400 },
    );
    expect(maxInFlight).toBe(5);
    // 5 workers × ~20 ms per request ≈ 250 req/s (timers only ever run late).
    expect(result.requestsPerSecond).toBeGreaterThan(150);
    expect(result.requestsPerSecond).toBeLessThanOrEqual(260);
    expect(result.p50Ms).toBeGreaterThanOrEqual(19);
    expect(result.errors).toBe(0);
  });

  it("counts failures as errors, not as throughput", async () => {
    let calls = 0;
    const result = await runClosedLoop(
      async () => {
        calls += 1;
        await new Promise((resolve) => setTimeout(resolve, 5));
        if (calls % 2 === 0) throw new Error("HTTP 503: unavailable");
      },
      { concurrency: 2, durationMs: 100 },
    );
    expect(result.errors).toBeGreaterThan(0);
    expect(result.completed + result.errors).toBe(calls);
    expect(result.errorSamples[0]).toBe("HTTP 503: unavailable");
  });
});
