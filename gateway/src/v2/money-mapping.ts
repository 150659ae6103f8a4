import type { MessageInitShape } from "@bufbuild/protobuf";
import type { MoneySchema } from "@switchyard/contracts/connect/switchyard/edge/v2/money_pb";
import type { PlaceOrderLine } from "@switchyard/contracts/connect/switchyard/edge/v2/order_service_pb";
import type { PlaceOrderLine as InternalPlaceOrderLine } from "@switchyard/contracts/grpc/switchyard/order/v1/order_service";
import { type FieldViolation, invalidArgument, isDomainError } from "@switchyard/errors";
import { minorToMoney, moneyToMinor } from "@switchyard/money";

/** Internal minor units of a currency as a v2 Money. */
export function toMoney(currencyCode: string, minor: bigint): MessageInitShape<typeof MoneySchema> {
  return minorToMoney(currencyCode, minor);
}

/**
 * v2 PlaceOrder lines (Money prices) as internal lines (minor units) plus the order currency,
 * which v2 takes from the lines: every line must price in the same currency. Collects every
 * problem — missing price, more precision than the currency has, mixed currencies — into one
 * invalid_argument naming fields as v2 spells them (`lines[1].unit_price.currency_code`).
 */
export function toInternalLines(lines: PlaceOrderLine[]): {
  currencyCode: string;
  lines: InternalPlaceOrderLine[];
} {
  if (lines.length === 0) {
    throw invalidArgument([{ field: "lines", description: "an order needs at least 1 line" }]);
  }
  const violations: FieldViolation[] = [];
  // The first priced line sets the order currency; every other line must match it.
  const currencyCode = lines.find((line) => line.unitPrice)?.unitPrice?.currencyCode ?? "";
  const internal = lines.map((line, index): InternalPlaceOrderLine => {
    const field = `lines[${index}].unit_price`;
    let unitPriceMinor = 0n;
    if (line.unitPrice === undefined) {
      violations.push({ field, description: "is required" });
    } else if (line.unitPrice.currencyCode !== currencyCode) {
      violations.push({
        field: `${field}.currency_code`,
        description: `must be ${currencyCode} like the first line: an order has one currency`,
      });
    } else {
      try {
        unitPriceMinor = moneyToMinor(line.unitPrice, { field });
      } catch (error) {
        if (!isDomainError(error)) throw error;
        violations.push(...error.fieldViolations);
      }
    }
    return { sku: line.sku, quantity: line.quantity, unitPriceMinor, currencyCode: "" };
  });
  if (violations.length > 0) throw invalidArgument(violations);
  return { currencyCode, lines: internal };
}
