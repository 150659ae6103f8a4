// SQLSTATE classes and codes that say "the database could not do it right now", not "this
// message is wrong": connection exceptions, insufficient resources, operator intervention
// (shutdown, crash recovery), serialization failure and deadlock.
const transientSqlState = /^(08|53|57P0[1-4]|40001|40P01)/;

// Socket errors (node) and postgres.js connection errors.
const transientCodes = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EAI_AGAIN",
  "CONNECTION_CLOSED",
  "CONNECTION_ENDED",
  "CONNECTION_DESTROYED",
  "CONNECT_TIMEOUT",
]);

/**
 * True when `error` (or any error in its `cause` chain, as drizzle wraps driver errors) is a
 * failure of the database rather than of the message: such failures never dead-letter.
 */
export function isTransientDatabaseFailure(error: unknown): boolean {
  for (let current = error, depth = 0; current instanceof Error && depth < 5; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string" && (transientCodes.has(code) || transientSqlState.test(code))) {
      return true;
    }
    current = current.cause;
  }
  return false;
}
