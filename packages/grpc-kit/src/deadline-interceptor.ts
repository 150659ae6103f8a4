import * as grpc from "@grpc/grpc-js";

/**
 * Client interceptor that gives every call without a deadline one `deadlineMs` from now, so no
 * call can hang forever. Pass `deadline: Infinity` to opt out explicitly (e.g. a long Watch).
 */
export function defaultDeadlineInterceptor(deadlineMs: number): grpc.Interceptor {
  return (options, nextCall) =>
    new grpc.InterceptingCall(
      nextCall(
        options.deadline === undefined
          ? { ...options, deadline: Date.now() + deadlineMs }
          : options,
      ),
    );
}
