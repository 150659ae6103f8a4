import { Code, ConnectError } from "@connectrpc/connect";
import { BadRequestSchema } from "@switchyard/contracts/connect/google/rpc/error_details_pb";
import { isDomainError, statusCodeByKind } from "@switchyard/errors";

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
  return new ConnectError(error.message, statusCodeByKind[error.kind] as Code, undefined, details);
}
