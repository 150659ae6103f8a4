import { describe, expect, it } from "vitest";
import { formatPairedRatio, pairedRatio, roundOrder } from "./round-ratios.js";

describe("roundOrder", () => {
  it("runs the rows as given in odd rounds and reversed in even ones", () => {
    expect(roundOrder(["f", "i"], 1)).toEqual(["f", "i"]);
    expect(roundOrder(["f", "i"], 2)).toEqual(["i", "f"]);
    expect(roundOrder(["a", "f", "i"], 3)).toEqual(["a", "f", "i"]);
  });
});

describe("pairedRatio", () => {
  it("takes the median of the per-round ratios, which drift in the load cancels out of", () => {
    // The machine slows down over the rounds; the row is 90% of the base in every round.
    const base = [1000, 800, 600, 400, 200];
    const row = base.map((value) => value * 0.9);
    const ratio = pairedRatio(row, base);
    expect(ratio?.pairedMedian).toBeCloseTo(0.9, 10);
    expect(ratio?.low).toBeCloseTo(0.9, 10);
    expect(ratio?.high).toBeCloseTo(0.9, 10);
    expect(ratio?.ofMedians).toBeCloseTo(0.9, 10);
  });

  it("is not moved by one disturbed round, where the ratio of medians is", () => {
    // Rounds 1 and 2: the row is 95% of the base. Round 3: a burst of other work hit the row.
    const base = [1000, 400, 700];
    const row = [950, 380, 300];
    const ratio = pairedRatio(row, base);
    expect(ratio?.pairedMedian).toBeCloseTo(0.95, 10);
    expect(ratio?.ofMedians).toBeCloseTo(380 / 700, 10);
    expect(ratio?.low).toBeCloseTo(300 / 700, 10);
    expect(ratio?.high).toBeCloseTo(0.95, 10);
  });

  it("skips rounds whose base answered nothing and is undefined without any", () => {
    expect(pairedRatio([500, 600], [0, 1000])?.pairedMedian).toBeCloseTo(0.6, 10);
    expect(pairedRatio([500], [0])).toBeUndefined();
    expect(pairedRatio([], [])).toBeUndefined();
  });
});

describe("formatPairedRatio", () => {
  it("prints both numbers and the range, or only the ratio for one round", () => {
    const ratio = { ofMedians: 0.8612, pairedMedian: 0.88, low: 0.794, high: 0.97 };
    expect(formatPairedRatio("i/f", ratio, 5)).toBe("i/f = 0.86 (per round 0.88, 0.79–0.97)");
    expect(formatPairedRatio("i/f", ratio, 1)).toBe("i/f = 0.86");
  });
});
