// ISO 4217 minor-unit digits of the currencies that do not use 2. Funds codes and precious
// metals (XAU, XDR, ...) have no minor unit defined and are not expected in orders.
const exponents: Readonly<Record<string, number>> = {
  BIF: 0,
  CLP: 0,
  DJF: 0,
  GNF: 0,
  ISK: 0,
  JPY: 0,
  KMF: 0,
  KRW: 0,
  PYG: 0,
  RWF: 0,
  UGX: 0,
  UYI: 0,
  VND: 0,
  VUV: 0,
  XAF: 0,
  XOF: 0,
  XPF: 0,
  BHD: 3,
  IQD: 3,
  JOD: 3,
  KWD: 3,
  LYD: 3,
  OMR: 3,
  TND: 3,
  CLF: 4,
  UYW: 4,
};

/**
 * Number of minor-unit digits of an ISO 4217 currency: 0 for JPY, 3 for KWD, 4 for CLF, 2 for
 * every other code (including unknown ones). Case-sensitive: codes are upper case.
 */
export function currencyExponent(currencyCode: string): number {
  return exponents[currencyCode] ?? 2;
}
