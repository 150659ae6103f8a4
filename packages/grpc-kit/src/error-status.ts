import * as grpc from "@grpc/grpc-js";
import { BadRequest } from "@switchyard/contracts/grpc/google/rpc/error_details";
import { Status } from "@switchyard/contracts/grpc/google/rpc/status";
import {
  asUnavailableIfConnectionFailure,
  isDomainError,
  statusCodeByKind,
} from "@switchyard/errors";

/** The status a handler's error becomes on the wire. */
export interface GrpcStatus {
  code: grpc.status;
  details: string;
  metadata: grpc.Metadata;
}

export const statusDetailsKey = "grpc-status-details-bin";
export const badRequestTypeUrl = "type.googleapis.com/google.rpc.BadRequest";

/**
 * THE one place a domain error becomes a gRPC status. Invalid arguments also carry a
 * google.rpc.BadRequest (inside google.rpc.Status, in `grpc-status-details-bin`) naming each
 * field. A lost or refused connection to a dependency (Postgres down) is UNAVAILABLE — the
 * caller may retry — not a bug. Anything else that is not a DomainError becomes INTERNAL
 * "internal error": its text may hold internal detail, so it is never sent (the caller logs it).
 */
export function toGrpcStatus(thrown: unknown): GrpcStatus {
  const metadata = new grpc.Metadata();
  const error = asUnavailableIfConnectionFailure(thrown);
  if (!isDomainError(error)) {
    return { code: grpc.status.INTERNAL, details: "internal error", metadata };
  }
  const code: grpc.status = statusCodeByKind[error.kind];
  if (error.kind === "invalid-argument" && error.fieldViolations.length > 0) {
    const badRequest = BadRequest.fromPartial({
      fieldViolations: error.fieldViolations.map((violation) => ({
        field: violation.field,
        description: violation.description,
      })),
    });
    const status = Status.fromPartial({
      code,
      message: error.message,
      details: [
        { typeUrl: badRequestTypeUrl, value: Buffer.from(BadRequest.encode(badRequest).finish()) },
      ],
    });
    metadata.set(statusDetailsKey, Buffer.from(Status.encode(status).finish()));
  }
  return { code, details: error.message, metadata };
}
