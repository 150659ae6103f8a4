import type { DescMethod } from "@bufbuild/protobuf";
import { Code, ConnectError, createContextKey, type Interceptor } from "@connectrpc/connect";

/** The caller's `Idempotency-Key` header, when it sent one; passed downstream as metadata. */
export const idempotencyKeyKey = createContextKey<string | undefined>(undefined, {
  description: "idempotency key",
});

/**
 * Reads the `Idempotency-Key` header into the call's context and REQUIRES it for the given
 * methods (the ones that create something, e.g. PlaceOrder): a client that cannot retry safely
 * should find out on its first call, not after a duplicate order. Its format is checked by the
 * service that stores it.
 */
export function idempotencyKeyInterceptor(options: { requiredFor: DescMethod[] }): Interceptor {
  const required = new Set(options.requiredFor);
  return (next) => (request) => {
    const key = request.header.get("idempotency-key")?.trim() ?? "";
    if (key !== "") request.contextValues.set(idempotencyKeyKey, key);
    else if (required.has(request.method)) {
      throw new ConnectError("Idempotency-Key header is required", Code.InvalidArgument);
    }
    return next(request);
  };
}
