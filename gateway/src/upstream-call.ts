import { Code, ConnectError, type HandlerContext } from "@connectrpc/connect";
import * as grpc from "@grpc/grpc-js";
import { endUserKey } from "@switchyard/end-user-auth";
import { setEndUserMetadata } from "@switchyard/grpc-kit";
import { deadlineKey } from "./interceptors/deadline.js";
import { idempotencyKeyKey } from "./interceptors/idempotency-key.js";
import { toConnectError } from "./upstream-error.js";

type UnaryMethod<Req, Res> = (
  request: Req,
  metadata: grpc.Metadata,
  options: Partial<grpc.CallOptions>,
  callback: (error: grpc.ServiceError | null, response?: Res) => void,
) => grpc.ClientUnaryCall;

export interface UpstreamCallOptions {
  /** Maps an internal field path to the public one, for errors naming fields. */
  renameField?: (field: string) => string;
}

/**
 * Calls an internal grpc-js method on behalf of a Connect call: under the call's deadline (set by
 * the deadline interceptor), with its idempotency key as `idempotency-key` metadata and its
 * verified end user as `x-switchyard-end-user` / `x-switchyard-scopes` (the request id travels
 * through grpc-kit's client interceptor), cancelled when the caller goes away, and any failure
 * already turned into a client-safe ConnectError. Metadata is built here from verified values
 * only: nothing the client sent is copied into it.
 */
export function callUpstream<Req, Res>(
  method: UnaryMethod<Req, Res>,
  request: Req,
  context: HandlerContext,
  options: UpstreamCallOptions = {},
): Promise<Res> {
  const metadata = setEndUserMetadata(new grpc.Metadata(), context.values.get(endUserKey));
  const idempotencyKey = context.values.get(idempotencyKeyKey);
  if (idempotencyKey !== undefined) metadata.set("idempotency-key", idempotencyKey);
  const deadline = context.values.get(deadlineKey);
  const callOptions = deadline > 0 ? { deadline } : {};
  return new Promise<Res>((resolve, reject) => {
    const call = method(request, metadata, callOptions, (error, response) => {
      context.signal.removeEventListener("abort", cancel);
      if (error !== null) reject(toConnectError(error, options));
      else if (response === undefined) reject(toConnectError(new Error("empty upstream response")));
      else resolve(response);
    });
    // The caller's own timeout or disconnect: stop the upstream work and answer with that
    // reason (deadline_exceeded / canceled) rather than the CANCELLED it causes downstream.
    const cancel = () => {
      const reason: unknown = context.signal.reason;
      reject(
        toConnectError(
          reason instanceof ConnectError ? reason : new ConnectError("cancelled", Code.Canceled),
        ),
      );
      call.cancel();
    };
    if (context.signal.aborted) cancel();
    else context.signal.addEventListener("abort", cancel, { once: true });
  });
}

/** The message a response must contain, or an internal error (the upstream broke its contract). */
export function required<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`upstream response without ${what}`);
  return value;
}
