import { defaultDuplicateWindowMs } from "@switchyard/events";
import { describe, expect, it } from "vitest";
import { defaultRetryPolicy, longestRetrySpanMs, retryDelayMs } from "./retry-backoff.js";

describe("retry backoff", () => {
  it("doubles from the base delay up to the cap, spread by the jitter", () => {
    const middle = () => 0.5;
    expect(
      [1, 2, 3, 4].map((attempts) => retryDelayMs(defaultRetryPolicy, attempts, middle)),
    ).toEqual([1_000, 2_000, 4_000, 8_000]);
    expect(retryDelayMs(defaultRetryPolicy, 20, middle)).toBe(300_000);
    expect(retryDelayMs(defaultRetryPolicy, 1, () => 0)).toBe(800);
    expect(retryDelayMs(defaultRetryPolicy, 1, () => 1)).toBe(1_200);
  });

  it("gives up well inside the stream's duplicate window, so every relay republish is deduplicated", () => {
    // 1+2+…+256 s = 511 s, +20 % jitter ≈ 10.2 min; plus up to 10 PubAck timeouts of 5 s.
    const span = longestRetrySpanMs(defaultRetryPolicy) + defaultRetryPolicy.maxAttempts * 5_000;
    expect(span).toBeLessThan(12 * 60_000);
    expect(defaultDuplicateWindowMs).toBeGreaterThan(span * 10);
  });
});
