export { currencyExponent } from "./currency-exponent.js";
export { type Money, minorToMoney, moneyToMinor } from "./money.js";
