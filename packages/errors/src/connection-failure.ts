import { DomainError } from "./domain-error.js";

/**
 * Codes of a lost or refused connection to a dependency (a database, a broker): the request did
 * not fail because of a bug or of the input, and the same call may succeed in a moment. Node
 * socket errors, postgres.js's own client codes, and the SQLSTATEs Postgres sends while it is
 * not accepting work (class 08 "connection exception", 57P01–57P03 shutdown / cannot connect
 * now). Plain strings, so this package stays free of driver dependencies.
 */
const connectionFailureCodes = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EAI_AGAIN",
  "CONNECT_TIMEOUT",
  "CONNECTION_CLOSED",
  "CONNECTION_ENDED",
  "CONNECTION_DESTROYED",
  "57P01",
  "57P02",
  "57P03",
]);

/** True when `error`, or an error in its `cause` chain (drivers and ORMs wrap), is a connection failure. */
export function isConnectionFailure(error: unknown): boolean {
  for (let current = error, depth = 0; current instanceof Error && depth < 5; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string" && (connectionFailureCodes.has(code) || code.startsWith("08"))) {
      return true;
    }
    // AggregateError: Node reports a refused dual-stack connect as one per address.
    const inner = (current as { errors?: unknown }).errors;
    if (Array.isArray(inner) && inner.some(isConnectionFailure)) return true;
    current = current.cause;
  }
  return false;
}

/**
 * A connection failure as a typed `unavailable` error (the client may retry), the original as
 * its cause for the logs; any other error unchanged. Used where errors become wire statuses.
 */
export function asUnavailableIfConnectionFailure(error: unknown): unknown {
  if (error instanceof DomainError || !isConnectionFailure(error)) return error;
  return new DomainError("unavailable", "a dependency is unavailable, retry later", {
    cause: error,
  });
}
