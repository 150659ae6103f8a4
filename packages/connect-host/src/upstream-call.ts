import { Code, ConnectError, type HandlerContext } from "@connectrpc/connect";
import * as grpc from "@grpc/grpc-js";
import { endUserKey } from "@switchyard/end-user-auth";
import { setEndUserMetadata } from "@switchyard/grpc-kit";
import { downstreamDeadline } from "./interceptors/deadline.js";
import { idempotencyKeyKey } from "./interceptors/idempotency-key.js";

/** A generated grpc-js client's unary method, bound to its client. */
export type UnaryMethod<Req, Res> = (
  request: Req,
  metadata: grpc.Metadata,
  options: Partial<grpc.CallOptions>,
  callback: (error: grpc.ServiceError | null, response?: Res) => void,
) => grpc.ClientUnaryCall;

export interface UpstreamCallOptions {
  /** Epoch ms; without it the client's default deadline applies. */
  deadline?: number | undefined;
  metadata?: grpc.Metadata | undefined;
  /**
   * Cancels the upstream call when it aborts (the client went away, its timeout passed, a
   * screen's budget ran out): the backend stops working for nobody. The promise then rejects
   * with the signal's reason when that is a ConnectError, else `canceled`.
   */
  signal?: AbortSignal | undefined;
}

/**
 * THE promise form of a grpc-js unary call for the Connect deployables:
 * `await callUpstream(users.getUser.bind(users), { userId }, upstreamCallOptions(context))`.
 * Rejects with the grpc-js ServiceError (map it with `toConnectError` or `domainErrorFromGrpc`).
 */
export function callUpstream<Req, Res>(
  method: UnaryMethod<Req, Res>,
  request: Req,
  options: UpstreamCallOptions = {},
): Promise<Res> {
  const { signal } = options;
  const callOptions = options.deadline === undefined ? {} : { deadline: options.deadline };
  return new Promise<Res>((resolve, reject) => {
    if (signal?.aborted) {
      reject(abortReasonOf(signal));
      return;
    }
    // Cancels the call once it has started. A listener object: run from source (tsx keeps
    // function names), a named closure per call costs a defineProperty as well.
    const onAbort = {
      call: undefined as grpc.ClientUnaryCall | undefined,
      handleEvent() {
        // Answer with the caller's own reason (deadline_exceeded / canceled), not the CANCELLED
        // that cancelling causes downstream.
        reject(abortReasonOf(signal));
        onAbort.call?.cancel();
      },
    };
    onAbort.call = method(
      request,
      options.metadata ?? new grpc.Metadata(),
      callOptions,
      (error, response) => {
        signal?.removeEventListener("abort", onAbort);
        if (error !== null) reject(error);
        else if (response === undefined) reject(new Error("empty upstream response"));
        else resolve(response);
      },
    );
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

function abortReasonOf(signal: AbortSignal | undefined): ConnectError {
  return signal?.reason instanceof ConnectError
    ? signal.reason
    : new ConnectError("cancelled", Code.Canceled);
}

/**
 * What a Connect handler's upstream call carries: the request's deadline (`downstreamDeadline`),
 * its cancellation (`context.signal`), its verified end user as `x-switchyard-end-user` /
 * `x-switchyard-scopes` and its idempotency key (the request id travels through grpc-kit's
 * client interceptor). Built from verified values only: nothing the client sent is copied.
 */
export function upstreamCallOptions(context: HandlerContext): UpstreamCallOptions {
  const metadata = setEndUserMetadata(new grpc.Metadata(), context.values.get(endUserKey));
  const idempotencyKey = context.values.get(idempotencyKeyKey);
  if (idempotencyKey !== undefined) metadata.set("idempotency-key", idempotencyKey);
  return { deadline: downstreamDeadline(context), metadata, signal: context.signal };
}

/** The message a response must contain, or an internal error (the upstream broke its contract). */
export function required<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`upstream response without ${what}`);
  return value;
}
