import { randomUUID } from "node:crypto";
import { ConnectError, createContextKey, type Interceptor } from "@connectrpc/connect";
import { runWithRequestContext } from "@switchyard/logging";

/** The request id of the current call: the caller's `x-request-id` when well-formed, else new. */
export const requestIdKey = createContextKey<string>("", { description: "request id" });

const header = "x-request-id";
// Echoed into logs and responses: accept only a short, plain token (same rule as grpc-kit).
const requestIdPattern = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * Takes the caller's `x-request-id` (or makes one), makes it the request context of everything
 * the call does — log lines, and the `x-request-id` grpc-kit clients send downstream — and echoes
 * it on the response, success or error.
 */
export function requestIdInterceptor(): Interceptor {
  return (next) => (request) => {
    const incoming = request.header.get(header);
    const requestId =
      incoming !== null && requestIdPattern.test(incoming) ? incoming : randomUUID();
    request.contextValues.set(requestIdKey, requestId);
    let response: ReturnType<typeof next>;
    try {
      response = runWithRequestContext({ requestId }, () => next(request));
    } catch (error) {
      return Promise.reject(error).catch((reason: unknown) => echoOnError(reason, requestId));
    }
    return response.then(
      (answer) => {
        answer.header.set(header, requestId);
        return answer;
      },
      (error: unknown) => echoOnError(error, requestId),
    );
  };
}

function echoOnError(error: unknown, requestId: string): never {
  const connectError = ConnectError.from(error);
  connectError.metadata.set(header, requestId);
  throw connectError;
}
