import { isConnectionFailure } from "@switchyard/errors";

// Besides a lost connection (`isConnectionFailure`): SQLSTATEs that say "the database could not
// do it right now", not "this message is wrong" — insufficient resources, crash recovery,
// serialization failure and deadlock.
const transientSqlState = /^(53|57P04|40001|40P01)/;

/**
 * True when `error` (or any error in its `cause` chain, as drizzle wraps driver errors) is a
 * failure of the database rather than of the message: such failures never dead-letter.
 */
export function isTransientDatabaseFailure(error: unknown): boolean {
  if (isConnectionFailure(error)) return true;
  for (let current = error, depth = 0; current instanceof Error && depth < 5; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string" && transientSqlState.test(code)) return true;
    current = current.cause;
  }
  return false;
}
