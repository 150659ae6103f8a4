import * as grpc from "@grpc/grpc-js";
import { idempotencyKeyKey } from "./call-context.js";

/**
 * Client interceptor for writes the client retries on UNAVAILABLE (`retriedWritesWithKey`): a
 * retried write is only safe when the server deduplicates it by its idempotency key, so such a
 * call without an `idempotency-key` never leaves the process — it fails INVALID_ARGUMENT here.
 */
export function keyedWriteGuard(paths: ReadonlySet<string>): grpc.Interceptor {
  return (options, nextCall) => {
    const path = options.method_definition.path;
    if (!paths.has(path)) return new grpc.InterceptingCall(nextCall(options));
    let refused = false;
    return new grpc.InterceptingCall(nextCall(options), {
      start(metadata, listener, next) {
        if (metadata.get(idempotencyKeyKey).length > 0) {
          next(metadata, listener);
          return;
        }
        refused = true;
        // Asynchronously, as a real answer would come: the caller's callback is not re-entered.
        setImmediate(() =>
          listener.onReceiveStatus({
            code: grpc.status.INVALID_ARGUMENT,
            details: `${path} is retried on UNAVAILABLE, so every call must carry an ${idempotencyKeyKey}`,
            metadata: new grpc.Metadata(),
          }),
        );
      },
      sendMessage(message, next) {
        if (!refused) next(message);
      },
      halfClose(next) {
        if (!refused) next();
      },
    });
  };
}
