import { invalidArgument } from "@switchyard/errors";
import { currencyExponent } from "./currency-exponent.js";

/** An amount as google.type.Money: `units` plus `nanos` (10^-9) of a unit, with the same sign. */
export interface Money {
  currencyCode: string;
  units: bigint;
  nanos: number;
}

const nanosPerUnit = 1_000_000_000n;
const maxNanos = 999_999_999;
const currencyCodePattern = /^[A-Z]{3}$/;

/** Converts integer minor units (cents, yen, fils) of a currency to Money. Exact. */
export function minorToMoney(currencyCode: string, minor: bigint): Money {
  const minorPerUnit = 10n ** BigInt(currencyExponent(currencyCode));
  // BigInt division truncates toward zero, so units and the remainder keep the sign of `minor`.
  const units = minor / minorPerUnit;
  const nanos = Number((minor % minorPerUnit) * (nanosPerUnit / minorPerUnit));
  return { currencyCode, units, nanos };
}

/**
 * Converts Money to integer minor units of its currency. Throws a DomainError
 * (invalid-argument) naming `options.field` (default "money") when the currency code is not
 * three upper-case letters, nanos is outside ±999,999,999, units and nanos have different signs,
 * or the amount is finer than the currency's minor unit (0.001 EUR, 0.5 JPY).
 */
export function moneyToMinor(money: Money, options: { field?: string } = {}): bigint {
  const field = options.field ?? "money";
  const { currencyCode, units, nanos } = money;
  if (!currencyCodePattern.test(currencyCode)) {
    throw invalidArgument([
      {
        field: `${field}.currency_code`,
        description: `must be an ISO 4217 code of three upper-case letters, got "${currencyCode}"`,
      },
    ]);
  }
  if (!Number.isInteger(nanos) || Math.abs(nanos) > maxNanos) {
    throw invalidArgument([
      {
        field: `${field}.nanos`,
        description: "must be an integer between -999999999 and 999999999",
      },
    ]);
  }
  if ((units > 0n && nanos < 0) || (units < 0n && nanos > 0)) {
    throw invalidArgument([{ field, description: "units and nanos must have the same sign" }]);
  }
  const exponent = currencyExponent(currencyCode);
  const nanosPerMinor = nanosPerUnit / 10n ** BigInt(exponent);
  const nanosBig = BigInt(nanos);
  if (nanosBig % nanosPerMinor !== 0n) {
    throw invalidArgument([
      {
        field,
        description:
          exponent === 0
            ? `${currencyCode} amounts must be whole units`
            : `${currencyCode} amounts have at most ${exponent} decimal places`,
      },
    ]);
  }
  return units * 10n ** BigInt(exponent) + nanosBig / nanosPerMinor;
}
