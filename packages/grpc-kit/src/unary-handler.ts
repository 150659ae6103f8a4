import * as grpc from "@grpc/grpc-js";
import { isDomainError } from "@switchyard/errors";
import { createLogger, type Logger, runWithRequestContext } from "@switchyard/logging";
import { type CallContext, createCallContext, requestIdKey } from "./call-context.js";
import { toGrpcStatus } from "./error-status.js";
import { serverLoggerOf } from "./server-logger.js";

/**
 * Adapts an async handler to grpc-js. The handler runs inside the request context (every log
 * line carries its requestId); whatever it throws goes through `toGrpcStatus`, and errors that
 * are not domain errors are logged with their cause. The response trailers echo `x-request-id`.
 */
export function unary<Req, Res>(
  handler: (request: Req, context: CallContext) => Promise<Res>,
): grpc.handleUnaryCall<Req, Res> {
  let fallbackLogger: Logger | undefined;
  // Registered on a plain grpc.Server (not through createGrpcServer): still log somewhere.
  const loggerFor = (call: object): Logger => {
    const attached = serverLoggerOf(call);
    if (attached) return attached;
    fallbackLogger ??= createLogger({ service: "grpc" });
    return fallbackLogger;
  };
  return (call, callback) => {
    const logger = loggerFor(call);
    const context = createCallContext(call, logger);
    const trailer = new grpc.Metadata();
    trailer.set(requestIdKey, context.requestId);
    runWithRequestContext({ requestId: context.requestId }, () => {
      (async () => handler(call.request, context))().then(
        (response) => callback(null, response, trailer),
        (error: unknown) => {
          const status = toGrpcStatus(error);
          if (status.code === grpc.status.INTERNAL) {
            context.logger.error({ err: error }, "handler failed; replied INTERNAL");
          } else if (!isDomainError(error)) {
            // A lost dependency (toGrpcStatus: connection failures): the cause is for the logs.
            context.logger.warn({ err: error }, "dependency unavailable; replied UNAVAILABLE");
          } else {
            context.logger.info(
              { code: grpc.status[status.code], details: status.details },
              "handler rejected the request",
            );
          }
          status.metadata.set(requestIdKey, context.requestId);
          callback(status);
        },
      );
    });
  };
}
