import type { DescMethod } from "@bufbuild/protobuf";
import { MethodOptions_IdempotencyLevel } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError, type Transport } from "@connectrpc/connect";

/** How long a replica that answered `unavailable` is skipped while others are up. */
export const replicaCooldownMs = 1_000;

/**
 * One Connect transport over one or several replicas' transports (the devstack's replicas of a
 * Connect deployable, listed as "ipv4:a,b"): calls go round-robin; a replica whose call failed
 * `unavailable` (refused, reset, or closed while draining) is skipped for `replicaCooldownMs`;
 * a unary call that is safe to run twice (its proto says NO_SIDE_EFFECTS or IDEMPOTENT) and
 * failed `unavailable` is tried once more on another replica, within what is left of its
 * timeout. A unary call whose stream the replica refused (`wasRefusedStream`) never reached a
 * handler: it is sent once more whatever its idempotency — to another replica, or to the same one
 * (over a new connection) when it is the only one. Streams are never repeated (their input
 * cannot be replayed).
 */
export function balancedTransport(replicas: Transport[], now = () => Date.now()): Transport {
  if (replicas.length === 0) throw new Error("balancedTransport needs at least one replica");
  let next = 0;
  const downUntil = replicas.map(() => 0);

  const pick = (avoid?: number): number => {
    for (let offset = 0; offset < replicas.length; offset++) {
      const index = (next + offset) % replicas.length;
      if (index !== avoid && (downUntil[index] ?? 0) <= now()) {
        next = index + 1;
        return index;
      }
    }
    // Every other replica is cooling down: try them anyway rather than fail without a call.
    const index = (avoid === undefined ? next : avoid + 1) % replicas.length;
    next = index + 1;
    return index;
  };

  async function run<T>(
    repeatable: boolean,
    resendable: boolean,
    signal: AbortSignal | undefined,
    timeoutMs: number | undefined,
    call: (transport: Transport, timeoutMs: number | undefined) => Promise<T>,
  ): Promise<T> {
    const startedAt = now();
    const first = pick();
    try {
      return await call(replicas[first] as Transport, timeoutMs);
    } catch (error) {
      const refused = resendable && wasRefusedStream(error);
      if (!refused && ConnectError.from(error).code !== Code.Unavailable) throw error;
      downUntil[first] = now() + replicaCooldownMs;
      const left = timeoutMs === undefined ? undefined : timeoutMs - (now() - startedAt);
      const again = refused || (repeatable && replicas.length > 1);
      if (!again || signal?.aborted || (left ?? 1) <= 0) throw error;
      return call(replicas[pick(first)] as Transport, left);
    }
  }

  return {
    unary(method, signal, timeoutMs, header, input, contextValues) {
      return run(isSafeToRepeat(method), true, signal, timeoutMs, (transport, timeout) =>
        transport.unary(method, signal, timeout, header, input, contextValues),
      );
    },
    stream(method, signal, timeoutMs, header, input, contextValues) {
      return run(false, false, signal, timeoutMs, (transport, timeout) =>
        transport.stream(method, signal, timeout, header, input, contextValues),
      );
    },
  };
}

/**
 * The replica refused the call's HTTP/2 stream (REFUSED_STREAM): it had sent GOAWAY (a graceful
 * shutdown) before the request reached it, so no handler ran. connect-node reports it as
 * `internal` ("Stream closed with error code NGHTTP2_REFUSED_STREAM") when the stream errors,
 * as `unavailable` when it reads the reset code; both say REFUSED_STREAM.
 */
export function wasRefusedStream(error: unknown): boolean {
  for (let cause: unknown = error; cause instanceof Error; cause = cause.cause) {
    if (cause.message.includes("REFUSED_STREAM")) return true;
  }
  return false;
}

function isSafeToRepeat(method: DescMethod): boolean {
  return (
    method.idempotency === MethodOptions_IdempotencyLevel.NO_SIDE_EFFECTS ||
    method.idempotency === MethodOptions_IdempotencyLevel.IDEMPOTENT
  );
}
