/** Money as the APIs carry it: whole `units` plus `nanos` (10^-9) of a unit, same sign. */
export interface MoneyParts {
  currencyCode: string;
  units: bigint;
  nanos: number;
}

/** "12.5" → 12 units + 500000000 nanos; undefined unless a non-negative decimal with ≤ 9 places. */
export function parseDecimalAmount(text: string): { units: bigint; nanos: number } | undefined {
  const match = /^(\d{1,15})(?:\.(\d{1,9}))?$/.exec(text.trim());
  if (!match) return undefined;
  const [, whole = "0", fraction = ""] = match;
  return { units: BigInt(whole), nanos: Number(fraction.padEnd(9, "0")) };
}

/** 12 units + 500000000 nanos EUR → "€12.50" (in the browser's locale). */
export function formatMoney(money: MoneyParts | undefined, locale?: string): string {
  if (!money) return "—";
  const amount = Number(money.units) + money.nanos / 1e9;
  try {
    return new Intl.NumberFormat(locale, {
      style: "currency",
      currency: money.currencyCode,
    }).format(amount);
  } catch {
    return `${amount} ${money.currencyCode}`;
  }
}
