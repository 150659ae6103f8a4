import { DomainError } from "@switchyard/errors";
import { describe, expect, it } from "vitest";
import { isCurrencyCode, maxMinorUnits, multiplyMinorUnits, sumMinorUnits } from "./money.js";

describe("money", () => {
  it("accepts only three upper-case letters as a currency code", () => {
    expect(isCurrencyCode("EUR")).toBe(true);
    for (const code of ["eur", "EU", "EURO", "E1R", "", " EUR"]) {
      expect(isCurrencyCode(code), code).toBe(false);
    }
  });

  it("multiplies and sums exactly beyond the range of a double", () => {
    const line = multiplyMinorUnits(999_999_999n, 9_999, "lines[0].unit_price_minor");
    expect(line).toBe(9_998_999_990_001n);
    expect(sumMinorUnits([line, line, line], "lines")).toBe(29_996_999_970_003n);
    // A double would round this: 2^53 + 1.
    expect(sumMinorUnits([2n ** 53n, 1n], "lines")).toBe(9_007_199_254_740_993n);
  });

  it("allows exactly the int64 maximum and rejects one more, naming the field", () => {
    expect(sumMinorUnits([maxMinorUnits - 1n, 1n], "lines")).toBe(maxMinorUnits);
    let caught: unknown;
    try {
      sumMinorUnits([maxMinorUnits, 1n], "lines");
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(DomainError);
    expect((caught as DomainError).kind).toBe("invalid-argument");
    expect((caught as DomainError).fieldViolations[0]?.field).toBe("lines");
  });

  it("rejects a line total that overflows int64", () => {
    expect(() => multiplyMinorUnits(maxMinorUnits, 2, "lines[1].unit_price_minor")).toThrow(
      /line total exceeds the maximum of 9223372036854775807/,
    );
  });
});
