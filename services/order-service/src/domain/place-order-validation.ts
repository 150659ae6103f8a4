import { type FieldViolation, invalidArgument } from "@switchyard/errors";
import { isUuid } from "./identifiers.js";
import { isCurrencyCode, multiplyMinorUnits, sumMinorUnits } from "./money.js";
import type { NewOrder } from "./order.js";

export const maxOrderLines = 100;
export const maxLineQuantity = 10_000;
const skuPattern = /^[A-Za-z0-9_-]{1,64}$/;

/** What a client asks for; the generated PlaceOrderRequest satisfies this shape. */
export interface PlaceOrderInput {
  customerId: string;
  currencyCode: string;
  lines: readonly {
    sku: string;
    quantity: number;
    unitPriceMinor: bigint;
    /** Empty means "the order currency". */
    currencyCode: string;
  }[];
}

/**
 * Checks a place-order request and prices it. Collects EVERY violation (field paths as in the
 * proto, e.g. `lines[0].quantity`) and throws them together as one invalid-argument, so a
 * client can fix its request in one round trip. Totals are computed here, never trusted.
 */
export function validatePlaceOrder(input: PlaceOrderInput): NewOrder {
  const violations: FieldViolation[] = [];
  const violate = (field: string, description: string) => violations.push({ field, description });

  if (!isUuid(input.customerId)) violate("customer_id", "must be a UUID");
  if (!isCurrencyCode(input.currencyCode)) {
    violate("currency_code", "must be an ISO 4217 code: three upper-case letters, e.g. EUR");
  }
  if (input.lines.length === 0) violate("lines", "an order needs at least 1 line");
  if (input.lines.length > maxOrderLines) {
    // Per-line checks are skipped: the request is rejected anyway and may be arbitrarily large.
    violate("lines", `an order has at most ${maxOrderLines} lines, got ${input.lines.length}`);
  } else {
    input.lines.forEach((line, index) => {
      const path = `lines[${index}]`;
      if (!skuPattern.test(line.sku)) {
        violate(`${path}.sku`, "must be 1 to 64 characters from A-Z, a-z, 0-9, '-' and '_'");
      }
      if (
        !Number.isInteger(line.quantity) ||
        line.quantity < 1 ||
        line.quantity > maxLineQuantity
      ) {
        violate(
          `${path}.quantity`,
          `must be between 1 and ${maxLineQuantity}, got ${line.quantity}`,
        );
      }
      if (line.unitPriceMinor < 0n) {
        violate(`${path}.unit_price_minor`, `must be >= 0, got ${line.unitPriceMinor}`);
      }
      if (line.currencyCode !== "" && line.currencyCode !== input.currencyCode) {
        violate(
          `${path}.currency_code`,
          `mixed currencies: line currency ${line.currencyCode} differs from order currency ${input.currencyCode}`,
        );
      }
    });
  }
  if (violations.length > 0) throw invalidArgument(violations);

  // Shape is valid from here on; pricing can only fail on int64 overflow.
  const lines = input.lines.map((line, index) => ({
    sku: line.sku,
    quantity: line.quantity,
    unitPriceMinor: line.unitPriceMinor,
    lineTotalMinor: multiplyMinorUnits(
      line.unitPriceMinor,
      line.quantity,
      `lines[${index}].unit_price_minor`,
    ),
  }));
  const totalMinor = sumMinorUnits(
    lines.map((line) => line.lineTotalMinor),
    "lines",
  );
  return {
    customerId: input.customerId.toLowerCase(),
    currencyCode: input.currencyCode,
    lines,
    totalMinor,
  };
}
