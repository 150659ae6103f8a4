import type { JetStreamClient, JetStreamManager } from "@nats-io/jetstream";
import type { EventNamespace } from "@switchyard/events";
import { type InboxDatabase, type ReplayResult, replayStream } from "@switchyard/inbox";
import type { Logger } from "@switchyard/logging";
import type { Projection } from "./projection.js";

/** A replay's counts, plus what the projection's backfill added (orders from the orders table). */
export interface RebuildResult extends ReplayResult {
  backfilled: number;
}

/**
 * Rebuilds each projection from the start of its stream, one transaction per projection
 * (`replayStream`): readers keep seeing the old rows until it commits, live consumers pause on
 * the inbox lock meanwhile and then carry on from where they were. A projection with a
 * `backfill` also covers, in the same transaction, what its stream does not hold (the order
 * summaries: orders placed before the read model existed, from the orders table).
 */
export async function rebuildProjections(options: {
  js: JetStreamClient;
  jsm: JetStreamManager;
  db: InboxDatabase;
  namespace: EventNamespace;
  projections: readonly Projection[];
  logger: Logger;
}): Promise<Map<string, RebuildResult>> {
  const results = new Map<string, RebuildResult>();
  for (const projection of options.projections) {
    const backfill = projection.backfill?.();
    let backfilled = 0;
    const result = await replayStream({
      js: options.js,
      jsm: options.jsm,
      db: options.db,
      namespace: options.namespace,
      stream: projection.stream,
      durableName: projection.durableName,
      eventTypes: projection.eventTypes,
      handle: backfill
        ? async (event, tx) => {
            await projection.handle(event, tx);
            backfill.applied(event);
          }
        : projection.handle,
      reset: projection.reset,
      ...(backfill
        ? {
            finish: async (tx: InboxDatabase) => {
              backfilled = await backfill.finish(tx);
            },
          }
        : {}),
      logger: options.logger,
    });
    results.set(projection.durableName, { ...result, backfilled });
  }
  return results;
}
