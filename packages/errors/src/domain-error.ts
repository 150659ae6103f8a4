/**
 * Typed domain errors. Services throw these; the transport edge (grpc-kit for gRPC, the gateway
 * for Connect) maps each kind to a status code in exactly one place. `message` is written for
 * the client and must never contain internal detail; the optional `cause` is for logs only.
 */
export type DomainErrorKind =
  | "invalid-argument"
  | "not-found"
  | "already-exists"
  | "failed-precondition"
  | "aborted"
  | "permission-denied"
  | "unauthenticated"
  | "resource-exhausted"
  | "unavailable";

/** One offending field of a request, as in google.rpc.BadRequest.FieldViolation. */
export interface FieldViolation {
  field: string;
  description: string;
}

export class DomainError extends Error {
  override readonly name = "DomainError";
  constructor(
    readonly kind: DomainErrorKind,
    message: string,
    options?: { cause?: unknown; fieldViolations?: FieldViolation[] },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.fieldViolations = options?.fieldViolations ?? [];
  }
  readonly fieldViolations: FieldViolation[];
}

/** Bad request: lists every offending field (first one's description becomes the message). */
export function invalidArgument(violations: FieldViolation[]): DomainError {
  const message = violations.map((v) => `${v.field}: ${v.description}`).join("; ");
  return new DomainError("invalid-argument", message, { fieldViolations: violations });
}

export const notFound = (message: string) => new DomainError("not-found", message);
export const alreadyExists = (message: string) => new DomainError("already-exists", message);
export const failedPrecondition = (message: string) =>
  new DomainError("failed-precondition", message);
export const aborted = (message: string) => new DomainError("aborted", message);
export const permissionDenied = (message: string) => new DomainError("permission-denied", message);
export const unavailable = (message: string, cause?: unknown) =>
  new DomainError("unavailable", message, { cause });

export function isDomainError(error: unknown): error is DomainError {
  return error instanceof DomainError;
}
