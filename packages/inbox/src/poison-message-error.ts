/**
 * A message that can never be applied, however often it is redelivered (no valid envelope, a
 * body that does not decode): it goes to the dead-letter stream at once instead of being retried.
 */
export class PoisonMessageError extends Error {
  override readonly name = "PoisonMessageError";
}
