import { randomUUID } from "node:crypto";
import type * as grpc from "@grpc/grpc-js";
import type { Logger } from "@switchyard/logging";

/** What a handler gets besides its request. Handlers never parse metadata themselves. */
export interface CallContext {
  metadata: grpc.Metadata;
  /** Incoming `x-request-id` when well-formed, else a new UUID. */
  requestId: string;
  /** Authenticated peer identity; "anonymous" until mTLS lands. */
  caller: string;
  deadline: Date | undefined;
  /** The `idempotency-key` metadata entry, when the client sent one (validated by runIdempotent). */
  idempotencyKey: string | undefined;
  logger: Logger;
}

export const requestIdKey = "x-request-id";
/** The metadata entry a client sets to make a command safe to retry. */
export const idempotencyKeyKey = "idempotency-key";

// A request id is copied into every log line and response: accept only a short, plain token.
const requestIdPattern = /^[A-Za-z0-9._:-]{1,128}$/;

/** Builds the context of one call; `logger` is the server's logger. */
export function createCallContext(
  call: grpc.ServerUnaryCall<unknown, unknown>,
  logger: Logger,
): CallContext {
  const [incoming] = call.metadata.get(requestIdKey);
  const requestId =
    typeof incoming === "string" && requestIdPattern.test(incoming) ? incoming : randomUUID();
  return {
    metadata: call.metadata,
    requestId,
    caller: "anonymous",
    deadline: deadlineOf(call.getDeadline()),
    idempotencyKey: textOf(call.metadata.get(idempotencyKeyKey)[0]),
    logger: logger.child({ method: call.getPath() }),
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
