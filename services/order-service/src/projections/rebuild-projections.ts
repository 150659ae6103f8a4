import type { JetStreamClient, JetStreamManager } from "@nats-io/jetstream";
import type { EventNamespace } from "@switchyard/events";
import { type InboxDatabase, type ReplayResult, replayStream } from "@switchyard/inbox";
import type { Logger } from "@switchyard/logging";
import type { Projection } from "./projection.js";

/**
 * Rebuilds each projection from the start of its stream, one transaction per projection
 * (`replayStream`): readers keep seeing the old rows until it commits, live consumers pause on
 * the inbox lock meanwhile and then carry on from where they were.
 */
export async function rebuildProjections(options: {
  js: JetStreamClient;
  jsm: JetStreamManager;
  db: InboxDatabase;
  namespace: EventNamespace;
  projections: readonly Projection[];
  logger: Logger;
}): Promise<Map<string, ReplayResult>> {
  const results = new Map<string, ReplayResult>();
  for (const projection of options.projections) {
    const result = await replayStream({
      js: options.js,
      jsm: options.jsm,
      db: options.db,
      namespace: options.namespace,
      stream: projection.stream,
      durableName: projection.durableName,
      eventTypes: projection.eventTypes,
      handle: projection.handle,
      reset: projection.reset,
      logger: options.logger,
    });
    results.set(projection.durableName, result);
  }
  return results;
}
