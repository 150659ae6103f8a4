import { describe, expect, it } from "vitest";
import { AdaptiveConcurrencyLimit } from "../src/index.js";

describe("AdaptiveConcurrencyLimit (AIMD)", () => {
  it("admits up to the limit, refuses the rest at once and counts them", () => {
    const limit = new AdaptiveConcurrencyLimit({ initial: 2, min: 2, max: 2, latencyLimitMs: 1e9 });
    const a = limit.tryAcquire();
    const b = limit.tryAcquire();
    expect(limit.tryAcquire()).toBeUndefined();
    expect(limit.snapshot()).toEqual({ limit: 2, inFlight: 2, rejections: 1 });
    a?.release({ dropped: false });
    a?.release({ dropped: false }); // a second release changes nothing
    expect(limit.snapshot().inFlight).toBe(1);
    expect(limit.tryAcquire()).toBeDefined();
    b?.release({ dropped: false });
  });

  it("adds one per good call while at least half used, backs off ×0.9 on a slow one", () => {
    let now = 0;
    const limit = new AdaptiveConcurrencyLimit({
      initial: 10,
      min: 4,
      max: 12,
      latencyLimitMs: 100,
      clock: () => now,
    });
    const leases = Array.from({ length: 6 }, () => limit.tryAcquire());
    leases[0]?.release({ dropped: false }); // 6 in flight ≥ 10/2 → 11
    expect(limit.snapshot().limit).toBe(11);
    now += 500;
    leases[1]?.release({ dropped: false }); // slow → floor(11 × 0.9) = 9
    expect(limit.snapshot().limit).toBe(9);
    leases[2]?.release({ dropped: true }); // dropped → 8
    for (const lease of leases.slice(3)) lease?.release({ dropped: true }); // 7, 6, 5
    expect(limit.snapshot().limit).toBe(5);
    for (let i = 0; i < 5; i++) limit.tryAcquire()?.release({ dropped: true });
    expect(limit.snapshot().limit).toBe(4); // never below min
    for (let i = 0; i < 20; i++) {
      // Fill the limit, then let every call end well: the limit grows while it is used.
      const held = [];
      for (let lease = limit.tryAcquire(); lease; lease = limit.tryAcquire()) held.push(lease);
      for (const lease of held) lease.release({ dropped: false });
    }
    expect(limit.snapshot().limit).toBe(12); // never above max
    // Used at less than half, it does not grow (AIMD needs evidence the limit is the constraint).
    const idle = new AdaptiveConcurrencyLimit({ initial: 10, min: 1, max: 100, latencyLimitMs: 1 });
    for (let i = 0; i < 50; i++) idle.tryAcquire()?.release({ dropped: false });
    expect(idle.snapshot().limit).toBe(10);
  });

  it("refuses min > initial or initial > max", () => {
    expect(
      () => new AdaptiveConcurrencyLimit({ initial: 1, min: 2, max: 3, latencyLimitMs: 1 }),
    ).toThrow(RangeError);
    expect(
      () => new AdaptiveConcurrencyLimit({ initial: 4, min: 2, max: 3, latencyLimitMs: 1 }),
    ).toThrow(RangeError);
  });
});
