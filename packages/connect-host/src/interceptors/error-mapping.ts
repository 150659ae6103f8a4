import type { Interceptor } from "@connectrpc/connect";
import type { Logger } from "@switchyard/logging";
import { hidesCause, toConnectError } from "../connect-error.js";

/**
 * Innermost interceptor: whatever a handler throws leaves as a client-safe ConnectError
 * (`toConnectError`). When the client only gets a fixed text, the real cause is logged here.
 */
export function errorMappingInterceptor(logger: Logger): Interceptor {
  const mapError = (request: Call, error: unknown): never => {
    const connectError = toConnectError(error);
    if (hidesCause(connectError.code)) {
      logger.warn(
        { err: error, procedure: `${request.service.typeName}/${request.method.name}` },
        `call failed: ${connectError.rawMessage}`,
      );
    }
    throw connectError;
  };
  // Per call: anonymous arrows only (run from source, tsx names every named closure it makes).
  return (next) => (request) => {
    try {
      return next(request).catch((error: unknown) => mapError(request, error));
    } catch (error) {
      // The handler threw before returning its promise.
      return Promise.reject(error).catch((reason: unknown) => mapError(request, reason));
    }
  };
}

/** What a log line names of a call. */
interface Call {
  service: { typeName: string };
  method: { name: string };
}
