import { Code, ConnectError } from "@connectrpc/connect";
import { BadRequestSchema } from "@switchyard/contracts/connect/google/rpc/error_details_pb";

/** What went wrong with a call, in the terms a screen shows it. */
export type CallFailure =
  /** Input refused: messages per field (`email`, `lines[0].quantity`, …) from google.rpc.BadRequest. */
  | { kind: "invalid"; message: string; fields: Record<string, string> }
  /** No valid session: the app goes to sign-in. */
  | { kind: "unauthenticated"; message: string }
  /** Rate limited: try again after `retryAfterSeconds`. */
  | { kind: "rate-limited"; message: string; retryAfterSeconds: number }
  /** Anything else; `retryable` says whether the same request may succeed later. */
  | { kind: "failed"; message: string; retryable: boolean };

const defaultRetryAfterSeconds = 1;

/** Turns whatever a client call threw into a CallFailure (never throws). */
export function describeCallFailure(error: unknown): CallFailure {
  const connectError = ConnectError.from(error);
  switch (connectError.code) {
    case Code.InvalidArgument: {
      const fields: Record<string, string> = {};
      for (const detail of connectError.findDetails(BadRequestSchema)) {
        for (const violation of detail.fieldViolations) {
          fields[violation.field] ??= violation.description;
        }
      }
      return { kind: "invalid", message: connectError.rawMessage, fields };
    }
    case Code.Unauthenticated:
      return { kind: "unauthenticated", message: "Your session has ended. Sign in again." };
    case Code.ResourceExhausted: {
      const retryAfterSeconds = retryAfter(connectError.metadata.get("retry-after"));
      return {
        kind: "rate-limited",
        message: `Slow down: too many requests. Retry in ${retryAfterSeconds} s.`,
        retryAfterSeconds,
      };
    }
    case Code.Unavailable:
    case Code.DeadlineExceeded:
    case Code.Aborted:
      return {
        kind: "failed",
        message: "The service did not answer in time. Try again.",
        retryable: true,
      };
    case Code.PermissionDenied:
      return { kind: "failed", message: "You cannot see or change this.", retryable: false };
    case Code.NotFound:
      return { kind: "failed", message: "Not found.", retryable: false };
    default:
      return {
        kind: "failed",
        message: connectError.rawMessage || "Something went wrong.",
        retryable: false,
      };
  }
}

// Retry-After is either delay-seconds or an HTTP date (RFC 9110 §10.2.3).
function retryAfter(value: string | null, now = Date.now()): number {
  if (!value) return defaultRetryAfterSeconds;
  if (/^\d+$/.test(value.trim())) return Math.max(1, Number(value.trim()));
  const date = Date.parse(value);
  if (Number.isNaN(date)) return defaultRetryAfterSeconds;
  return Math.max(1, Math.ceil((date - now) / 1000));
}
