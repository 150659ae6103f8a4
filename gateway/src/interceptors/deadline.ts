import { createContextKey, type Interceptor } from "@connectrpc/connect";

/** Epoch ms by which every downstream call of this request must finish. */
export const deadlineKey = createContextKey<number>(0, { description: "downstream deadline" });

/**
 * Turns the caller's timeout (`connect-timeout-ms` for Connect, `grpc-timeout` for gRPC and
 * gRPC-Web) into the deadline handlers give downstream calls: capped at `maxMs` so no caller can
 * hold backend resources longer, and `defaultMs` when the caller sends none (or garbage).
 */
export function deadlineInterceptor(options: { defaultMs: number; maxMs: number }): Interceptor {
  return (next) => (request) => {
    const requested = callerTimeoutMs(request.header);
    const timeoutMs = Math.min(requested ?? options.defaultMs, options.maxMs);
    request.contextValues.set(deadlineKey, Date.now() + timeoutMs);
    return next(request);
  };
}

const grpcTimeoutUnits: Record<string, number> = {
  H: 3_600_000,
  M: 60_000,
  S: 1_000,
  m: 1,
  u: 0.001,
  n: 0.000_001,
};

/** The caller's timeout in ms, from whichever protocol header it used; undefined if none. */
export function callerTimeoutMs(header: Headers): number | undefined {
  const connectTimeout = header.get("connect-timeout-ms");
  if (connectTimeout !== null && /^\d{1,10}$/.test(connectTimeout)) {
    return Number(connectTimeout);
  }
  const grpcTimeout = /^(\d{1,8})([HMSmun])$/.exec(header.get("grpc-timeout") ?? "");
  if (grpcTimeout?.[1] !== undefined && grpcTimeout[2] !== undefined) {
    const unitMs = grpcTimeoutUnits[grpcTimeout[2]] ?? 1;
    // A sub-millisecond timeout still deserves a (tiny, already expired) deadline, not none.
    return Math.max(1, Math.ceil(Number(grpcTimeout[1]) * unitMs));
  }
  return undefined;
}
