import { type Span, SpanStatusCode } from "@opentelemetry/api";
import { rpcAttributes } from "./rpc-span-attributes.js";

// gRPC status numbers (grpc-js `status`), kept here so the rule reads without the enum.
const serverErrorCodes = new Set([2, 4, 12, 13, 14, 15]); // UNKNOWN, DEADLINE_EXCEEDED, UNIMPLEMENTED, INTERNAL, UNAVAILABLE, DATA_LOSS

/**
 * Records a gRPC status on a span per the RPC conventions: `rpc.grpc.status_code` always; span
 * status ERROR on a client for any non-OK code, on a server only for the codes that mean the
 * server failed (a NOT_FOUND or INVALID_ARGUMENT is the caller's problem, not an error here).
 */
export function endWithGrpcStatus(
  span: Span,
  kind: "client" | "server",
  code: number,
  details: string | undefined,
): void {
  span.setAttribute(rpcAttributes.grpcStatusCode, code);
  const isError = kind === "client" ? code !== 0 : serverErrorCodes.has(code);
  if (isError) {
    span.setStatus({
      code: SpanStatusCode.ERROR,
      ...(details === undefined ? {} : { message: details }),
    });
  }
  span.end();
}
