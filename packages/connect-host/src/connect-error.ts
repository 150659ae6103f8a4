import { Code, ConnectError } from "@connectrpc/connect";
import * as grpc from "@grpc/grpc-js";
import { BadRequestSchema } from "@switchyard/contracts/connect/google/rpc/error_details_pb";
import { BadRequest } from "@switchyard/contracts/grpc/google/rpc/error_details";
import { Status } from "@switchyard/contracts/grpc/google/rpc/status";
import { type FieldViolation, isDomainError, statusCodeByKind } from "@switchyard/errors";

/**
 * THE one place the gateway decides what a client sees when something fails: every error a
 * handler throws — a grpc-js ServiceError from user-service or order-service, a ConnectError from
 * web-bff, a DomainError from the gateway's own mapping, or a bug — becomes a ConnectError here.
 *
 * Codes keep their name (gRPC and Connect share them). Messages of codes that describe the
 * request (invalid_argument, not_found, ...) are the services' client-safe messages and pass
 * through; every other code gets a fixed text, because its message may carry internal detail.
 * Field violations travel as a google.rpc.BadRequest error detail. No stack trace, ever.
 */
export function toConnectError(
  error: unknown,
  options: { renameField?: (field: string) => string } = {},
): ConnectError {
  const failure = describe(error);
  const renameField = options.renameField ?? ((field: string) => field);
  const violations = failure.fieldViolations.map((violation) => ({
    field: renameField(violation.field),
    description: violation.description,
  }));
  const message = safeMessage(failure.code, failure.message, renameField);
  const details =
    failure.code === Code.InvalidArgument && violations.length > 0
      ? [{ desc: BadRequestSchema, value: { fieldViolations: violations } }]
      : [];
  return new ConnectError(message, failure.code, undefined, details, error);
}

/** True when the client gets a fixed text instead of the cause: the cause must be logged. */
export function hidesCause(code: Code): boolean {
  return !clientSafeCodes.has(code);
}

interface Failure {
  code: Code;
  message: string;
  fieldViolations: FieldViolation[];
}

const clientSafeCodes = new Set<Code>([
  Code.InvalidArgument,
  Code.NotFound,
  Code.AlreadyExists,
  Code.FailedPrecondition,
  Code.Aborted,
  Code.OutOfRange,
  Code.PermissionDenied,
  Code.Unauthenticated,
  Code.ResourceExhausted,
]);

const fixedMessages: Partial<Record<Code, string>> = {
  [Code.Canceled]: "request cancelled",
  [Code.Unknown]: "internal error",
  [Code.Internal]: "internal error",
  [Code.DataLoss]: "internal error",
  [Code.Unimplemented]: "method not implemented",
  [Code.Unavailable]: "service unavailable",
  [Code.DeadlineExceeded]: "deadline exceeded",
};

function safeMessage(code: Code, message: string, renameField: (field: string) => string) {
  const fixed = fixedMessages[code];
  if (fixed !== undefined || !clientSafeCodes.has(code)) return fixed ?? "internal error";
  if (message === "") return Code[code] ?? "error";
  // Messages of invalid arguments start with "<field>: ..." (DomainError): rename those too.
  return message
    .split("; ")
    .map((part) => {
      const colon = part.indexOf(": ");
      return colon > 0 ? `${renameField(part.slice(0, colon))}${part.slice(colon)}` : part;
    })
    .join("; ");
}

function describe(error: unknown): Failure {
  if (error instanceof ConnectError) {
    return {
      code: error.code,
      message: error.rawMessage,
      fieldViolations: error
        .findDetails(BadRequestSchema)
        .flatMap((badRequest) => badRequest.fieldViolations)
        .map(({ field, description }) => ({ field, description })),
    };
  }
  if (isDomainError(error)) {
    return {
      code: statusCodeByKind[error.kind] as Code,
      message: error.message,
      fieldViolations: error.fieldViolations,
    };
  }
  if (isGrpcServiceError(error)) {
    return {
      code: error.code as number as Code,
      message: error.details,
      fieldViolations: fieldViolationsOf(error.metadata),
    };
  }
  return { code: Code.Internal, message: "internal error", fieldViolations: [] };
}

function isGrpcServiceError(error: unknown): error is grpc.ServiceError {
  if (!(error instanceof Error)) return false;
  const { code, metadata } = error as Partial<grpc.ServiceError>;
  return (
    typeof code === "number" &&
    code >= grpc.status.CANCELLED &&
    code <= grpc.status.UNAUTHENTICATED &&
    metadata instanceof grpc.Metadata
  );
}

function fieldViolationsOf(metadata: grpc.Metadata): FieldViolation[] {
  const [encoded] = metadata.get("grpc-status-details-bin");
  if (!(encoded instanceof Buffer)) return [];
  try {
    return Status.decode(encoded)
      .details.filter((detail) => detail.typeUrl === "type.googleapis.com/google.rpc.BadRequest")
      .flatMap((detail) => BadRequest.decode(detail.value).fieldViolations)
      .map(({ field, description }) => ({ field, description }));
  } catch {
    // Undecodable details: the code and message still stand on their own.
    return [];
  }
}
