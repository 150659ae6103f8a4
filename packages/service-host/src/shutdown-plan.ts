/** What a started service holds that shutdown must end; each part is optional. */
export interface ShutdownParts {
  markNotServing?: () => void;
  drainDelay?: () => Promise<void>;
  drainGrpc?: () => Promise<void>;
  closeClients?: () => void;
  stopBackground?: () => Promise<void>;
  stopOutboxRelay?: () => Promise<void>;
  stopIdempotencyPurge?: () => Promise<void>;
  drainNats?: () => Promise<void>;
  stopIdentity?: () => void;
  closeDatabase?: () => Promise<void>;
  flushTracing?: () => Promise<void>;
  stopMetrics?: () => Promise<void>;
}

/**
 * THE shutdown order of every gRPC service: NOT_SERVING (load balancers stop sending) → the
 * drain delay, still serving every call, while endpoints propagate → drain gRPC with the grace
 * (stop accepting; in-flight calls still write and call peers; cut after the grace) → close peer clients → stop
 * consumers → stop the outbox relay (its last batch is marked) → stop the key purge → drain NATS
 * (flushes PubAcks) → stop watching TLS files → close the pool, which everything before uses →
 * flush traces (last: the steps before still record spans).
 * Parts that were never started (a failed start-up) are skipped.
 */
export function orderedShutdownSteps(
  parts: ShutdownParts,
): Array<{ name: string; run: () => Promise<void> | void }> {
  const order: Array<[keyof ShutdownParts, string]> = [
    ["markNotServing", "mark NOT_SERVING"],
    ["drainDelay", "drain delay (still serving)"],
    ["drainGrpc", "drain gRPC"],
    ["closeClients", "close gRPC clients"],
    ["stopBackground", "stop event consumers"],
    ["stopOutboxRelay", "stop outbox relay"],
    ["stopIdempotencyPurge", "stop idempotency key purge"],
    ["drainNats", "drain NATS"],
    ["stopIdentity", "stop watching TLS files"],
    ["closeDatabase", "close database"],
    // After the pool: everything before still records; pushes the last OTLP batch, closes /metrics.
    ["stopMetrics", "flush metrics"],
    // The very last step: every step before may still record spans.
    ["flushTracing", "flush traces"],
  ];
  return order.flatMap(([key, name]) => {
    const run = parts[key];
    return run === undefined ? [] : [{ name, run }];
  });
}
