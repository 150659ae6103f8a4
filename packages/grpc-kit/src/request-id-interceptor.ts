import * as grpc from "@grpc/grpc-js";
import { currentRequestId } from "@switchyard/logging";
import { requestIdKey } from "./call-context.js";

/**
 * Client interceptor that forwards the current request id (see `runWithRequestContext`) as
 * `x-request-id`, so one request can be followed through every service's logs.
 */
export function requestIdInterceptor(): grpc.Interceptor {
  return (options, nextCall) =>
    new grpc.InterceptingCall(nextCall(options), {
      start(metadata, listener, next) {
        const requestId = currentRequestId();
        if (requestId !== undefined && metadata.get(requestIdKey).length === 0) {
          metadata.set(requestIdKey, requestId);
        }
        next(metadata, listener);
      },
    });
}

/**
 * `requestIdInterceptor` and `defaultDeadlineInterceptor(deadlineMs)` in one intercepting call
 * (what `createGrpcClient` installs): every layer of interceptor is paid on every call.
 */
export function callDefaultsInterceptor(deadlineMs: number): grpc.Interceptor {
  return (options, nextCall) =>
    new grpc.InterceptingCall(
      nextCall(
        options.deadline === undefined
          ? { ...options, deadline: Date.now() + deadlineMs }
          : options,
      ),
      {
        start(metadata, listener, next) {
          const requestId = currentRequestId();
          if (requestId !== undefined && metadata.get(requestIdKey).length === 0) {
            metadata.set(requestIdKey, requestId);
          }
          next(metadata, listener);
        },
      },
    );
}
