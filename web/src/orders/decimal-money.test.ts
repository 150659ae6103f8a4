import { describe, expect, it } from "vitest";
import { formatMoney, parseDecimalAmount } from "./decimal-money.js";

describe("decimal amounts", () => {
  it("splits a decimal into units and nanos exactly", () => {
    expect(parseDecimalAmount("12.5")).toEqual({ units: 12n, nanos: 500_000_000 });
    expect(parseDecimalAmount(" 0.001 ")).toEqual({ units: 0n, nanos: 1_000_000 });
    expect(parseDecimalAmount("7")).toEqual({ units: 7n, nanos: 0 });
  });

  it("refuses what is not a non-negative decimal with at most 9 places", () => {
    for (const text of ["", "-1", "1,50", "1.", "abc", "1.0000000001"])
      expect(parseDecimalAmount(text)).toBeUndefined();
  });

  it("formats Money in a locale", () => {
    expect(formatMoney({ currencyCode: "EUR", units: 25n, nanos: 0 }, "en-GB")).toBe("€25.00");
    expect(formatMoney(undefined)).toBe("—");
  });
});
