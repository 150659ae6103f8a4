import * as grpc from "@grpc/grpc-js";
import type { Logger } from "@switchyard/logging";
import { type MeterProvider, observeLoadShedding } from "@switchyard/metrics";
import { AdaptiveConcurrencyLimit, type ConcurrencySnapshot } from "@switchyard/rate-limit";
import { z } from "zod";

/** Config keys of the load shedder; part of every service's host config. */
export const loadSheddingConfigShape = {
  /** "on": calls over the adaptive concurrency limit get RESOURCE_EXHAUSTED at once. */
  LOAD_SHEDDING: z.enum(["on", "off"]).default("on"),
  /** Limit to start from; min = initial = max fixes it (tests). */
  LOAD_SHEDDING_INITIAL_LIMIT: z.coerce.number().int().min(1).default(1000),
  LOAD_SHEDDING_MIN_LIMIT: z.coerce.number().int().min(1).default(100),
  LOAD_SHEDDING_MAX_LIMIT: z.coerce.number().int().min(1).default(5000),
  /** A call slower than this (or ending DEADLINE_EXCEEDED) makes the limit back off. */
  LOAD_SHEDDING_LATENCY_LIMIT_MS: z.coerce.number().int().positive().default(5000),
  /** `grpc-retry-pushback-ms` on a shed call: how long a retrying client should wait. */
  LOAD_SHEDDING_PUSHBACK_MS: z.coerce.number().int().min(0).default(100),
} satisfies z.ZodRawShape;

export type LoadSheddingConfig = z.infer<z.ZodObject<typeof loadSheddingConfigShape>>;

/** The shedder: its interceptor, and what it reports (a getter on the running service). */
export interface LoadShedder {
  snapshot(): ConcurrencySnapshot;
  interceptor: grpc.ServerInterceptor;
}

/**
 * Health checks, reflection and admin calls are never shed: the orchestrator must still see
 * SERVING, and an operator must still get in, exactly when the service is overloaded.
 */
export function isNeverShed(path: string): boolean {
  return (
    path.startsWith("/grpc.health.v1.") ||
    path.startsWith("/grpc.reflection.") ||
    /^\/[^/]*\.admin\.|^\/[^/]*AdminService\//.test(path)
  );
}

/**
 * A server interceptor holding each call to the adaptive concurrency limit
 * (`AdaptiveConcurrencyLimit`, AIMD): a call over it ends at once with RESOURCE_EXHAUSTED and
 * a `grpc-retry-pushback-ms` trailer, before any handler runs — overload becomes fast refusals
 * instead of a queue in front of Postgres. The slot is released when the call's status is sent
 * (or it is cancelled).
 *
 * The refusal is the cheapest answer the server can give: it is sent from the call's metadata
 * (synchronously, in the same turn grpc-js turns the HTTP/2 stream into a call), so the request
 * message is never read, deserialized or handed to a handler; the status and its trailer are
 * built once; the warning (at most one a second) is written after the status. With
 * `meterProvider`, each refusal records its server time in
 * `switchyard.load_shedding.rejection.duration` (from this interceptor's entry to the status
 * handed to HTTP/2), and limit, in-flight and rejections are observed.
 */
export function createLoadShedder(
  config: LoadSheddingConfig,
  logger: Logger,
  meterProvider?: MeterProvider,
): LoadShedder {
  const limit = new AdaptiveConcurrencyLimit({
    initial: config.LOAD_SHEDDING_INITIAL_LIMIT,
    min: config.LOAD_SHEDDING_MIN_LIMIT,
    max: config.LOAD_SHEDDING_MAX_LIMIT,
    latencyLimitMs: config.LOAD_SHEDDING_LATENCY_LIMIT_MS,
  });
  const snapshot = () => limit.snapshot();
  const recorder =
    meterProvider === undefined ? undefined : observeLoadShedding(meterProvider, snapshot);
  // Built once: grpc-js clones a status's metadata before it writes the trailers.
  const trailer = new grpc.Metadata();
  trailer.set("grpc-retry-pushback-ms", String(config.LOAD_SHEDDING_PUSHBACK_MS));
  const refusal: grpc.StatusObject = {
    code: grpc.status.RESOURCE_EXHAUSTED,
    details: "server overloaded: retry later",
    metadata: trailer,
  };
  // Per method path, whether it is exempt (the set of paths a server serves is small).
  const exempt = new Map<string, boolean>();
  const neverShed = (path: string) => {
    let known = exempt.get(path);
    if (known === undefined) {
      known = isNeverShed(path);
      if (exempt.size < 1_000) exempt.set(path, known);
    }
    return known;
  };
  let lastWarning = Number.NEGATIVE_INFINITY;

  const interceptor: grpc.ServerInterceptor = (methodDescriptor, call) => {
    const arrived = performance.now();
    if (neverShed(methodDescriptor.path)) return new grpc.ServerInterceptingCall(call);
    const lease = limit.tryAcquire();
    if (lease === undefined) {
      return new grpc.ServerInterceptingCall(call, {
        start(next) {
          next({
            onReceiveMetadata() {
              call.sendStatus(refusal);
              recorder?.rejected((performance.now() - arrived) / 1_000);
              // At most one line a second, after the answer: an overload must not flood the logs.
              if (arrived - lastWarning > 1_000) {
                lastWarning = arrived;
                logger.warn(
                  { method: methodDescriptor.path, ...limit.snapshot() },
                  "shedding load",
                );
              }
            },
          });
        },
      });
    }
    return new grpc.ServerInterceptingCall(call, {
      start(next) {
        next({
          onCancel() {
            lease.release({ dropped: false });
          },
        });
      },
      sendStatus(status, next) {
        lease.release({ dropped: status.code === grpc.status.DEADLINE_EXCEEDED });
        next(status);
      },
    });
  };
  return { snapshot, interceptor };
}
