import * as grpc from "@grpc/grpc-js";
import { BadRequest } from "@switchyard/contracts/grpc/google/rpc/error_details";
import { Status } from "@switchyard/contracts/grpc/google/rpc/status";
import {
  DomainError,
  type DomainErrorKind,
  type FieldViolation,
  isDomainError,
} from "@switchyard/errors";
import { badRequestTypeUrl, statusDetailsKey } from "./error-status.js";

const kindByCode: Partial<Record<grpc.status, DomainErrorKind>> = {
  [grpc.status.INVALID_ARGUMENT]: "invalid-argument",
  [grpc.status.NOT_FOUND]: "not-found",
  [grpc.status.ALREADY_EXISTS]: "already-exists",
  [grpc.status.FAILED_PRECONDITION]: "failed-precondition",
  [grpc.status.ABORTED]: "aborted",
  [grpc.status.PERMISSION_DENIED]: "permission-denied",
  [grpc.status.UNAUTHENTICATED]: "unauthenticated",
  [grpc.status.RESOURCE_EXHAUSTED]: "resource-exhausted",
};

/**
 * Turns a peer's gRPC error into a DomainError, for adapters that call other services. Statuses
 * with a domain meaning keep it (and their client-safe message, and BadRequest field
 * violations); UNAVAILABLE, DEADLINE_EXCEEDED and every other failure of the peer become
 * "unavailable", with the original error kept as `cause` for logs.
 */
export function domainErrorFromGrpc(error: unknown): DomainError {
  if (isDomainError(error)) return error;
  const code = statusCodeOf(error);
  const kind = code === undefined ? undefined : kindByCode[code];
  if (code === undefined || kind === undefined) {
    const name = code === undefined ? "unknown error" : grpc.status[code];
    return new DomainError("unavailable", `a dependency failed (${name})`, { cause: error });
  }
  const details = (error as { details?: unknown }).details;
  const message = typeof details === "string" && details !== "" ? details : grpc.status[code];
  const fieldViolations =
    kind === "invalid-argument"
      ? fieldViolationsOf((error as { metadata?: unknown }).metadata)
      : [];
  return new DomainError(kind, message, { cause: error, fieldViolations });
}

function statusCodeOf(error: unknown): grpc.status | undefined {
  if (typeof error !== "object" || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  return typeof code === "number" && code in grpc.status ? code : undefined;
}

function fieldViolationsOf(metadata: unknown): FieldViolation[] {
  if (!(metadata instanceof grpc.Metadata)) return [];
  const [encoded] = metadata.get(statusDetailsKey);
  if (!(encoded instanceof Buffer)) return [];
  try {
    const status = Status.decode(encoded);
    return status.details
      .filter((detail) => detail.typeUrl === badRequestTypeUrl)
      .flatMap((detail) => BadRequest.decode(detail.value).fieldViolations)
      .map(({ field, description }) => ({ field, description }));
  } catch {
    // A peer sent undecodable details: the status code and message still stand on their own.
    return [];
  }
}
