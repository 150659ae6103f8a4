import { Code, ConnectError } from "@connectrpc/connect";
import { BadRequestSchema } from "@switchyard/contracts/connect/google/rpc/error_details_pb";
import { type DomainErrorKind, isDomainError } from "@switchyard/errors";

const codeByKind: Record<DomainErrorKind, Code> = {
  "invalid-argument": Code.InvalidArgument,
  "not-found": Code.NotFound,
  "already-exists": Code.AlreadyExists,
  "failed-precondition": Code.FailedPrecondition,
  aborted: Code.Aborted,
  "permission-denied": Code.PermissionDenied,
  unauthenticated: Code.Unauthenticated,
  "resource-exhausted": Code.ResourceExhausted,
  unavailable: Code.Unavailable,
};

/**
 * THE mapping of web-bff's errors to Connect errors. A DomainError keeps its client-safe message
 * (and its field violations as a google.rpc.BadRequest detail); a ConnectError raised by the
 * framework passes through; anything else is "internal error", its cause kept out of the reply.
 */
export function toConnectError(error: unknown): ConnectError {
  if (error instanceof ConnectError) return error;
  if (!isDomainError(error)) return new ConnectError("internal error", Code.Internal);
  const details =
    error.fieldViolations.length === 0
      ? []
      : [{ desc: BadRequestSchema, value: { fieldViolations: error.fieldViolations } }];
  return new ConnectError(error.message, codeByKind[error.kind], undefined, details);
}
