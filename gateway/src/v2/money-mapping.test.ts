import { create } from "@bufbuild/protobuf";
import { PlaceOrderLineSchema } from "@switchyard/contracts/connect/switchyard/edge/v2/order_service_pb";
import { isDomainError } from "@switchyard/errors";
import { describe, expect, it } from "vitest";
import { toInternalLines } from "./money-mapping.js";
import { v2OrderField } from "./order-mapping.js";

const line = (sku: string, currencyCode: string, units: bigint, nanos = 0) =>
  create(PlaceOrderLineSchema, { sku, quantity: 1, unitPrice: { currencyCode, units, nanos } });

function violations(run: () => unknown) {
  try {
    run();
  } catch (error) {
    if (isDomainError(error) && error.kind === "invalid-argument") return error.fieldViolations;
    throw error;
  }
  throw new Error("expected invalid-argument");
}

describe("v2 PlaceOrder lines", () => {
  it("turn Money prices into minor units and take the order currency from them", () => {
    expect(
      toInternalLines([line("A", "EUR", 12n, 340_000_000), line("B", "EUR", 0n, 50_000_000)]),
    ).toEqual({
      currencyCode: "EUR",
      lines: [
        { sku: "A", quantity: 1, unitPriceMinor: 1234n, currencyCode: "" },
        { sku: "B", quantity: 1, unitPriceMinor: 5n, currencyCode: "" },
      ],
    });
  });

  it("report every bad line at once: mixed currency, too precise, missing price", () => {
    const lines = [
      line("A", "EUR", 1n),
      line("B", "USD", 1n),
      line("C", "EUR", 1n, 1_000_000),
      create(PlaceOrderLineSchema, { sku: "D", quantity: 1 }),
    ];
    expect(violations(() => toInternalLines(lines)).map((v) => v.field)).toEqual([
      "lines[1].unit_price.currency_code",
      "lines[2].unit_price",
      "lines[3].unit_price",
    ]);
  });

  it("need at least one line, since the currency comes from the lines", () => {
    expect(violations(() => toInternalLines([]))).toEqual([
      { field: "lines", description: "an order needs at least 1 line" },
    ]);
  });

  it("name internal order fields as v2 does", () => {
    expect(v2OrderField("lines[3].unit_price_minor")).toBe("lines[3].unit_price");
    expect(v2OrderField("currency_code")).toBe("lines[0].unit_price.currency_code");
    expect(v2OrderField("lines[0].quantity")).toBe("lines[0].quantity");
  });
});
