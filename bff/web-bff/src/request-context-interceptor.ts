import { randomUUID } from "node:crypto";
import { ConnectError, type Interceptor } from "@connectrpc/connect";
import { isDomainError } from "@switchyard/errors";
import { type Logger, runWithRequestContext } from "@switchyard/logging";
import { toConnectError } from "./connect-error.js";

const requestIdHeader = "x-request-id";
// A request id is copied into every log line and response: accept only a short, plain token.
const requestIdPattern = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * Opens the request context of every call: the incoming `x-request-id` (or a new one) goes on
 * every log line and every backend call (grpc-kit clients forward it), and back in the response
 * headers. Errors leave here through `toConnectError`, unexpected ones logged with their cause.
 */
export function requestContextInterceptor(logger: Logger): Interceptor {
  return (next) => async (request) => {
    const incoming = request.header.get(requestIdHeader);
    const requestId =
      incoming !== null && requestIdPattern.test(incoming) ? incoming : randomUUID();
    return runWithRequestContext({ requestId }, async () => {
      try {
        const response = await next(request);
        response.header.set(requestIdHeader, requestId);
        return response;
      } catch (error) {
        if (!isDomainError(error) && !(error instanceof ConnectError)) {
          logger.error({ err: error, method: request.method.name }, "request failed");
        }
        const connectError = toConnectError(error);
        connectError.metadata.set(requestIdHeader, requestId);
        throw connectError;
      }
    });
  };
}
