import { randomUUID } from "node:crypto";
import type * as grpc from "@grpc/grpc-js";
import type { Logger } from "@switchyard/logging";
import { currentTraceparent } from "@switchyard/tracing";
import { authenticatedCallerOf } from "./authenticated-caller.js";
import { authenticatedEndUserOf, type EndUser } from "./end-user.js";

/** What a handler gets besides its request. Handlers never parse metadata themselves. */
export interface CallContext {
  metadata: grpc.Metadata;
  /** Incoming `x-request-id` when well-formed, else a new UUID. */
  requestId: string;
  /**
   * The authenticated workload that called (its mTLS / Linkerd identity, e.g. "gateway"), as
   * verified by the authorization interceptor; "anonymous" on a server without one (tests).
   */
  caller: string;
  /**
   * The end user the caller acts for (verified at the edge, asserted by the gateway or web-bff
   * and believed only from them: see @switchyard/access-policy); undefined for a call a workload
   * makes on its own behalf, e.g. order-service asking user-service about a customer.
   */
  endUser: EndUser | undefined;
  deadline: Date | undefined;
  /** The `idempotency-key` metadata entry, when the client sent one (validated by runIdempotent). */
  idempotencyKey: string | undefined;
  /**
   * The W3C `traceparent` events written by this call carry onward: this call's server span
   * when tracing is on (so relay and consumer spans join the trace), else the incoming
   * metadata entry when well-formed.
   */
  traceparent: string | undefined;
  logger: Logger;
}

export const requestIdKey = "x-request-id";
/** The metadata entry a client sets to make a command safe to retry. */
export const idempotencyKeyKey = "idempotency-key";
/** W3C trace context (https://www.w3.org/TR/trace-context/), as gRPC metadata. */
export const traceparentKey = "traceparent";

// A request id is copied into every log line and response: accept only a short, plain token.
const requestIdPattern = /^[A-Za-z0-9._:-]{1,128}$/;
// Version 00 only, all-zero ids invalid (the spec's rule): anything else starts a new trace.
const traceparentPattern = /^00-(?!0{32})[0-9a-f]{32}-(?!0{16})[0-9a-f]{16}-[0-9a-f]{2}$/;

/** Builds the context of one call; `logger` is the server's logger. */
export function createCallContext(
  call: grpc.ServerUnaryCall<unknown, unknown>,
  logger: Logger,
): CallContext {
  const [incoming] = call.metadata.get(requestIdKey);
  const requestId =
    typeof incoming === "string" && requestIdPattern.test(incoming) ? incoming : randomUUID();
  let callLogger: Logger | undefined;
  return {
    metadata: call.metadata,
    requestId,
    caller: authenticatedCallerOf(call.metadata) ?? "anonymous",
    endUser: authenticatedEndUserOf(call.metadata),
    deadline: deadlineOf(call.getDeadline()),
    idempotencyKey: textOf(call.metadata.get(idempotencyKeyKey)[0]),
    traceparent:
      currentTraceparent() ?? wellFormedTraceparent(textOf(call.metadata.get(traceparentKey)[0])),
    // A child logger costs an object and its serialized bindings: made when a line is written.
    get logger() {
      callLogger ??= logger.child({ method: call.getPath() });
      return callLogger;
    },
  };
}

function deadlineOf(deadline: grpc.Deadline): Date | undefined {
  if (deadline instanceof Date) return deadline;
  return Number.isFinite(deadline) ? new Date(deadline) : undefined;
}

function textOf(value: grpc.MetadataValue | undefined): string | undefined {
  if (value === undefined) return undefined;
  return typeof value === "string" ? value : value.toString("utf8");
}

function wellFormedTraceparent(value: string | undefined): string | undefined {
  return value !== undefined && traceparentPattern.test(value) ? value : undefined;
}

/**
 * The part of a call a use case may see (services' `application/` layer): the calling workload,
 * the end user it acts for, and the idempotency key and trace it carried — as the
 * authorization interceptor established them, never parsed from headers by the use case.
 */
export type Invocation = Pick<CallContext, "caller" | "endUser" | "idempotencyKey" | "traceparent">;

/**
 * Who a request is from, for scoping things like idempotency keys: the calling workload, plus
 * the end user when there is one (`gateway` or `gateway/user:<subject>`), so two users of the
 * same gateway never share a key.
 */
export function requesterOf(context: Pick<CallContext, "caller" | "endUser">): string {
  return context.endUser === undefined
    ? context.caller
    : `${context.caller}/user:${context.endUser.subject}`;
}
