import { describe, expect, it } from "vitest";
import { createLatencyRecorder, median, percentile } from "./latency-recorder.js";

describe("percentile", () => {
  it("uses the nearest rank", () => {
    const samples = Array.from({ length: 100 }, (_, i) => 100 - i); // 100..1, unsorted
    expect(percentile(samples, 50)).toBe(50);
    expect(percentile(samples, 99)).toBe(99);
    expect(percentile(samples, 100)).toBe(100);
    expect(percentile([7], 99)).toBe(7);
    expect(percentile([], 50)).toBeNaN();
    expect(median([3, 1, 2])).toBe(2);
  });
});

describe("createLatencyRecorder", () => {
  it("counts calls and errors by code per operation, in first-seen order", () => {
    const recorder = createLatencyRecorder();
    recorder.record("PlaceOrder", { ok: true, latencyMs: 5 });
    recorder.record("GetDashboard", { ok: false, code: "unavailable", latencyMs: 9 });
    recorder.record("PlaceOrder", { ok: false, code: "invalid_argument", latencyMs: 1 });
    recorder.record("PlaceOrder", { ok: false, code: "invalid_argument", latencyMs: 2 });
    const [placeOrder, dashboard] = recorder.operations();
    expect(placeOrder?.name).toBe("PlaceOrder");
    expect(placeOrder?.calls).toBe(3);
    expect(placeOrder?.ok).toBe(1);
    expect([...(placeOrder?.errors ?? [])]).toEqual([["invalid_argument", 2]]);
    expect(dashboard?.latenciesMs).toEqual([9]);
    expect(recorder.totals()).toEqual({ calls: 4, errors: 3 });
  });
});
