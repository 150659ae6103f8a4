import { type Interceptor } from "@connectrpc/connect";
import type { Logger } from "@switchyard/logging";
import { hidesCause, toConnectError } from "../upstream-error.js";

/**
 * Innermost interceptor: whatever a handler throws leaves as a client-safe ConnectError
 * (`toConnectError`). When the client only gets a fixed text, the real cause is logged here.
 */
export function errorMappingInterceptor(logger: Logger): Interceptor {
  return (next) => async (request) => {
    try {
      return await next(request);
    } catch (error) {
      const connectError = toConnectError(error);
      if (hidesCause(connectError.code)) {
        logger.warn(
          { err: error, procedure: `${request.service.typeName}/${request.method.name}` },
          `call failed: ${connectError.rawMessage}`,
        );
      }
      throw connectError;
    }
  };
}
