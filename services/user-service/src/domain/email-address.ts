import { hasControlCharacter } from "./control-characters.js";

/** RFC 5321 caps a forward path at 256 octets including the angle brackets. */
export const maxEmailAddressLength = 254;

// Deliberately loose: one "@", no whitespace, a dot in the domain. Deliverability is proven by
// sending mail, not by a regular expression.
const emailAddressPattern = /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/;

/** Canonical form used for storage and uniqueness: trimmed and lower-cased. */
export function normalizeEmailAddress(raw: string): string {
  return raw.trim().toLowerCase();
}

/** Why a normalized email address is unacceptable, or undefined when it is fine. */
export function emailAddressProblem(email: string): string | undefined {
  if (email.length === 0) return "must not be empty";
  if (email.length > maxEmailAddressLength) {
    return `must be at most ${maxEmailAddressLength} characters`;
  }
  if (!emailAddressPattern.test(email) || hasControlCharacter(email))
    return "must be an email address like name@example.com";
  return undefined;
}
