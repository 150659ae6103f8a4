import { invalidArgument } from "@switchyard/errors";

/** Amounts are int64 on the wire and in Postgres: nothing above this fits. */
export const maxMinorUnits = 2n ** 63n - 1n;

const currencyCodePattern = /^[A-Z]{3}$/;

/** True for an ISO 4217-shaped code: three upper-case letters. */
export function isCurrencyCode(code: string): boolean {
  return currencyCodePattern.test(code);
}

/**
 * quantity × unit price in minor units. bigint keeps it exact; the guard keeps it storable.
 * Throws invalid-argument naming `field` when the product does not fit in int64.
 */
export function multiplyMinorUnits(
  unitPriceMinor: bigint,
  quantity: number,
  field: string,
): bigint {
  const product = unitPriceMinor * BigInt(quantity);
  if (product > maxMinorUnits) {
    throw invalidArgument([{ field, description: overflowDescription("line total") }]);
  }
  return product;
}

/** Exact sum of amounts in minor units; throws invalid-argument naming `field` on int64 overflow. */
export function sumMinorUnits(amounts: readonly bigint[], field: string): bigint {
  let total = 0n;
  for (const amount of amounts) {
    total += amount;
    if (total > maxMinorUnits) {
      throw invalidArgument([{ field, description: overflowDescription("order total") }]);
    }
  }
  return total;
}

function overflowDescription(what: string): string {
  return `${what} exceeds the maximum of ${maxMinorUnits} minor units`;
}
