import { Code, ConnectError } from "@connectrpc/connect";
import { type Span, SpanStatusCode } from "@opentelemetry/api";
import { rpcAttributes } from "./rpc-span-attributes.js";

// Codes that mean the server failed (same rule as gRPC: Unknown, DeadlineExceeded,
// Unimplemented, Internal, Unavailable, DataLoss); the others are the caller's problem.
const serverErrorCodes = new Set([
  Code.Unknown,
  Code.DeadlineExceeded,
  Code.Unimplemented,
  Code.Internal,
  Code.Unavailable,
  Code.DataLoss,
]);

/**
 * Records how a Connect call failed: `rpc.connect_rpc.error_code` ("not_found", ... as the
 * Connect protocol spells codes) and the span status ERROR when the side that records it should
 * count it as an error (any code on a client; the server-fault codes on a server).
 */
export function recordConnectError(span: Span, kind: "client" | "server", error: unknown): void {
  const connectError = ConnectError.from(error);
  span.setAttribute(rpcAttributes.connectErrorCode, connectCodeName(connectError.code));
  if (kind === "client" || serverErrorCodes.has(connectError.code)) {
    span.setStatus({ code: SpanStatusCode.ERROR, message: connectError.rawMessage });
  }
}

/** Code.NotFound → "not_found" (the Connect protocol's spelling). */
function connectCodeName(code: Code): string {
  return (Code[code] ?? "unknown").replace(/[A-Z]/g, (letter, offset: number) =>
    offset === 0 ? letter.toLowerCase() : `_${letter.toLowerCase()}`,
  );
}
