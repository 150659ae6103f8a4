import { isDomainError } from "@switchyard/errors";
import { describe, expect, it } from "vitest";
import { currencyExponent } from "./currency-exponent.js";
import { minorToMoney, moneyToMinor } from "./money.js";

function violationOf(run: () => unknown) {
  try {
    run();
  } catch (error) {
    if (!isDomainError(error)) throw error;
    expect(error.kind).toBe("invalid-argument");
    return error.fieldViolations[0];
  }
  throw new Error("expected an invalid-argument DomainError");
}

describe("currencyExponent", () => {
  it("knows zero-, three- and four-digit currencies and defaults to two", () => {
    expect(["JPY", "KRW", "VND", "CLP", "ISK", "UGX", "XAF", "XOF"].map(currencyExponent)).toEqual([
      0, 0, 0, 0, 0, 0, 0, 0,
    ]);
    expect(["BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"].map(currencyExponent)).toEqual([
      3, 3, 3, 3, 3, 3, 3,
    ]);
    expect(currencyExponent("CLF")).toBe(4);
    expect(["EUR", "USD", "GBP", "XYZ"].map(currencyExponent)).toEqual([2, 2, 2, 2]);
  });
});

describe("minorToMoney", () => {
  it("splits cents into units and nanos", () => {
    expect(minorToMoney("EUR", 1234n)).toEqual({
      currencyCode: "EUR",
      units: 12n,
      nanos: 340_000_000,
    });
  });

  it("keeps yen whole and fils at three digits", () => {
    expect(minorToMoney("JPY", 1500n)).toEqual({ currencyCode: "JPY", units: 1500n, nanos: 0 });
    expect(minorToMoney("KWD", 1234n)).toEqual({
      currencyCode: "KWD",
      units: 1n,
      nanos: 234_000_000,
    });
  });

  it("gives negative amounts the same sign on units and nanos", () => {
    expect(minorToMoney("USD", -150n)).toEqual({
      currencyCode: "USD",
      units: -1n,
      nanos: -500_000_000,
    });
    expect(minorToMoney("USD", -5n)).toEqual({
      currencyCode: "USD",
      units: 0n,
      nanos: -50_000_000,
    });
  });

  it("is exact beyond Number's safe range", () => {
    const minor = 123_456_789_012_345_678_901n;
    expect(moneyToMinor(minorToMoney("EUR", minor))).toBe(minor);
  });
});

describe("moneyToMinor", () => {
  it("round-trips every currency exponent", () => {
    for (const code of ["EUR", "JPY", "KWD", "CLF"]) {
      for (const minor of [0n, 1n, -1n, 99n, 100_001n, -987_654n]) {
        expect(moneyToMinor(minorToMoney(code, minor)), `${code} ${minor}`).toBe(minor);
      }
    }
  });

  it("rejects more precision than the minor unit, naming the given field", () => {
    const violation = violationOf(() =>
      moneyToMinor(
        { currencyCode: "EUR", units: 1n, nanos: 1_000_000 },
        { field: "lines[0].unit_price" },
      ),
    );
    expect(violation).toEqual({
      field: "lines[0].unit_price",
      description: "EUR amounts have at most 2 decimal places",
    });
    expect(
      violationOf(() => moneyToMinor({ currencyCode: "JPY", units: 1n, nanos: 500_000_000 })),
    ).toEqual({ field: "money", description: "JPY amounts must be whole units" });
  });

  it("rejects nanos out of range", () => {
    for (const nanos of [1_000_000_000, -1_000_000_000, 0.5]) {
      expect(
        violationOf(() =>
          moneyToMinor({ currencyCode: "EUR", units: 0n, nanos }, { field: "total" }),
        )?.field,
      ).toBe("total.nanos");
    }
  });

  it("rejects units and nanos of different signs", () => {
    expect(
      violationOf(() => moneyToMinor({ currencyCode: "EUR", units: 1n, nanos: -500_000_000 }))
        ?.description,
    ).toBe("units and nanos must have the same sign");
    expect(
      violationOf(() => moneyToMinor({ currencyCode: "EUR", units: -1n, nanos: 500_000_000 })),
    ).toBeDefined();
  });

  it("rejects a currency code that is not three upper-case letters", () => {
    for (const currencyCode of ["", "eur", "EURO"]) {
      expect(violationOf(() => moneyToMinor({ currencyCode, units: 1n, nanos: 0 }))?.field).toBe(
        "money.currency_code",
      );
    }
  });
});
