import { DomainError } from "@switchyard/errors";
import { describe, expect, it } from "vitest";
import { type PlaceOrderInput, validatePlaceOrder } from "./place-order-validation.js";

const customerId = "0b6f2a8e-6c1e-4a7e-9d3b-2f4c5d6e7f80";
const line = { sku: "SKU-1", quantity: 2, unitPriceMinor: 150n, currencyCode: "" };
const valid: PlaceOrderInput = { customerId, currencyCode: "EUR", lines: [line] };

function violationsOf(input: PlaceOrderInput): Record<string, string> {
  try {
    validatePlaceOrder(input);
  } catch (error) {
    if (error instanceof DomainError && error.kind === "invalid-argument") {
      return Object.fromEntries(error.fieldViolations.map((v) => [v.field, v.description]));
    }
    throw error;
  }
  throw new Error("expected the input to be rejected");
}

describe("place order validation", () => {
  it("prices a valid order on the server", () => {
    const order = validatePlaceOrder({
      ...valid,
      lines: [line, { ...line, quantity: 3, unitPriceMinor: 1_000n, currencyCode: "EUR" }],
    });
    expect(order.lines.map((l) => l.lineTotalMinor)).toEqual([300n, 3_000n]);
    expect(order.totalMinor).toBe(3_300n);
  });

  it("canonicalizes the customer id to lower case", () => {
    expect(validatePlaceOrder({ ...valid, customerId: customerId.toUpperCase() }).customerId).toBe(
      customerId,
    );
  });

  it("collects every violation with its proto field path", () => {
    const violations = violationsOf({
      customerId: "not-a-uuid",
      currencyCode: "eur",
      lines: [
        { sku: "", quantity: 0, unitPriceMinor: -1n, currencyCode: "" },
        { sku: "has space", quantity: 10_001, unitPriceMinor: 0n, currencyCode: "" },
        { ...line, quantity: -1 },
        { ...line, currencyCode: "USD" },
      ],
    });
    expect(Object.keys(violations).sort()).toEqual(
      [
        "customer_id",
        "currency_code",
        "lines[0].sku",
        "lines[0].quantity",
        "lines[0].unit_price_minor",
        "lines[1].sku",
        "lines[1].quantity",
        "lines[2].quantity",
        "lines[3].currency_code",
      ].sort(),
    );
    expect(violations["lines[3].currency_code"]).toMatch(/^mixed currencies/);
  });

  it("requires 1 to 100 lines", () => {
    expect(violationsOf({ ...valid, lines: [] })).toEqual({
      lines: "an order needs at least 1 line",
    });
    expect(validatePlaceOrder({ ...valid, lines: Array(100).fill(line) }).lines).toHaveLength(100);
    expect(Object.keys(violationsOf({ ...valid, lines: Array(101).fill(line) }))).toEqual([
      "lines",
    ]);
  });

  it("accepts a 64-character sku and rejects a 65-character one", () => {
    expect(() =>
      validatePlaceOrder({ ...valid, lines: [{ ...line, sku: "a".repeat(64) }] }),
    ).not.toThrow();
    expect(
      Object.keys(violationsOf({ ...valid, lines: [{ ...line, sku: "a".repeat(65) }] })),
    ).toEqual(["lines[0].sku"]);
  });

  it("rejects an order whose total overflows int64", () => {
    const big = { ...line, quantity: 1, unitPriceMinor: 2n ** 62n };
    expect(violationsOf({ ...valid, lines: [big, big] })).toHaveProperty("lines");
  });
});
