import { parseList } from "structured-headers";
import { describe, expect, it } from "vitest";
import { GcraLimiter, rateLimitHeaders } from "../src/index.js";

function fakeClock(startMs = 1_700_000_000_000) {
  let now = startMs;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

describe("GCRA with a fake clock", () => {
  it("allows exactly the burst, then one request per emission interval", () => {
    const clock = fakeClock();
    const limiter = new GcraLimiter({ name: "reads", quota: 10, windowSeconds: 60 }, clock.now);
    const burst = Array.from({ length: 10 }, () => limiter.take("alice"));
    expect(burst.map((d) => d.allowed)).toEqual(Array(10).fill(true));
    expect(burst.map((d) => d.remaining)).toEqual([9, 8, 7, 6, 5, 4, 3, 2, 1, 0]);
    const refused = limiter.take("alice");
    expect(refused).toMatchObject({ allowed: false, remaining: 0, retryAfterSeconds: 6 });
    // Emission interval T = 60 s / 10 = 6 s: one ms short of it is still refused.
    clock.advance(5_999);
    expect(limiter.take("alice").allowed).toBe(false);
    clock.advance(1);
    expect(limiter.take("alice")).toMatchObject({ allowed: true, remaining: 0 });
    expect(limiter.take("alice").allowed).toBe(false);
    // Steady state: exactly one per T, for a long time.
    let allowed = 0;
    for (let step = 0; step < 100; step++) {
      clock.advance(6_000);
      if (limiter.take("alice").allowed) allowed++;
      if (limiter.take("alice").allowed) allowed++;
    }
    expect(allowed).toBe(100);
  });

  it("reports remaining and reset as the state says", () => {
    const clock = fakeClock();
    const limiter = new GcraLimiter({ name: "writes", quota: 4, windowSeconds: 60 }, clock.now);
    // T = 15 s. First request: TAT = now + 15 s → 3 left, full again in 15 s.
    expect(limiter.take("k")).toMatchObject({ remaining: 3, resetSeconds: 15 });
    expect(limiter.take("k")).toMatchObject({ remaining: 2, resetSeconds: 30 });
    clock.advance(10_000); // TAT is 20 s ahead: 40 s of the window free → 2 whole intervals.
    expect(limiter.take("k")).toMatchObject({ remaining: 1, resetSeconds: 35 });
    expect(limiter.take("k")).toMatchObject({ remaining: 0, resetSeconds: 50 });
    const refused = limiter.take("k");
    // The next slot opens when TAT − window ≤ now: 50 + 15 − 60 = 5 s from now.
    expect(refused).toMatchObject({ allowed: false, remaining: 0, resetSeconds: 50 });
    expect(refused.retryAfterSeconds).toBe(5);
    clock.advance(60_000);
    expect(limiter.take("k")).toMatchObject({ remaining: 3, resetSeconds: 15 });
  });

  it("keeps keys apart, and a refused request changes nothing", () => {
    const clock = fakeClock();
    const limiter = new GcraLimiter({ name: "signup", quota: 2, windowSeconds: 10 }, clock.now);
    limiter.take("a");
    limiter.take("a");
    for (let i = 0; i < 50; i++) expect(limiter.take("a").allowed).toBe(false);
    clock.advance(5_000);
    expect(limiter.take("a").allowed).toBe(true); // 50 refusals did not push the TAT.
    expect(limiter.take("b")).toMatchObject({ allowed: true, remaining: 1 });
  });

  it("holds an odd window/quota ratio exactly (float emission interval)", () => {
    const clock = fakeClock();
    const limiter = new GcraLimiter({ name: "odd", quota: 7, windowSeconds: 1 }, clock.now);
    const allowed = Array.from({ length: 20 }, () => limiter.take("x")).filter((d) => d.allowed);
    expect(allowed).toHaveLength(7);
    clock.advance(1_000);
    expect(
      Array.from({ length: 20 }, () => limiter.take("x")).filter((d) => d.allowed),
    ).toHaveLength(7);
  });

  it("refuses a policy that is not a positive whole quota and window", () => {
    expect(() => new GcraLimiter({ name: "x", quota: 0, windowSeconds: 1 })).toThrow(RangeError);
    expect(() => new GcraLimiter({ name: "x", quota: 1.5, windowSeconds: 1 })).toThrow(RangeError);
    expect(() => new GcraLimiter({ name: "x", quota: 1, windowSeconds: 0.5 })).toThrow(RangeError);
  });
});

describe("RateLimit header fields (draft-ietf-httpapi-ratelimit-headers-11)", () => {
  it("are structured-field lists of policy names with q, w / r, t", () => {
    const headers = rateLimitHeaders([
      { name: "reads", quota: 100, windowSeconds: 60, remaining: 50, resetSeconds: 30 },
      { name: "daily", quota: 1000, windowSeconds: 86400, remaining: 990, resetSeconds: 3600 },
    ]);
    expect(headers).toEqual({
      "RateLimit-Policy": '"reads";q=100;w=60, "daily";q=1000;w=86400',
      RateLimit: '"reads";r=50;t=30, "daily";r=990;t=3600',
    });
    const policy = parseList(headers["RateLimit-Policy"]);
    expect(policy.map(([name, params]) => [name, Object.fromEntries(params)])).toEqual([
      ["reads", { q: 100, w: 60 }],
      ["daily", { q: 1000, w: 86400 }],
    ]);
    const limit = parseList(headers.RateLimit);
    expect(limit.map(([name, params]) => [name, Object.fromEntries(params)])).toEqual([
      ["reads", { r: 50, t: 30 }],
      ["daily", { r: 990, t: 3600 }],
    ]);
  });

  it("escapes names and refuses what a structured field cannot carry", () => {
    const headers = rateLimitHeaders([
      { name: 'a"b\\c', quota: 1, windowSeconds: 1, remaining: 0, resetSeconds: 0 },
    ]);
    expect(parseList(headers.RateLimit)[0]?.[0]).toBe('a"b\\c');
    expect(() =>
      rateLimitHeaders([{ name: "é", quota: 1, windowSeconds: 1, remaining: 0, resetSeconds: 0 }]),
    ).toThrow(RangeError);
  });
});
