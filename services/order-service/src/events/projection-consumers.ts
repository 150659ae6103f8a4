import type { JetStreamClient, JetStreamManager } from "@nats-io/jetstream";
import type { EventNamespace } from "@switchyard/events";
import { type InboxDatabase, type RunningConsumer, startConsumer } from "@switchyard/inbox";
import type { Logger } from "@switchyard/logging";
import type { Projection } from "../projections/projection.js";

export interface ProjectionConsumers {
  /** Resolves once every projection has consumed and acknowledged its whole stream. */
  waitUntilCaughtUp(options?: { timeoutMs?: number }): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Starts one durable consumer per projection (inbox dedup, NAK backoff, DLQ: @switchyard/inbox).
 * If one fails to start, those already started are stopped before the error is rethrown.
 */
export async function startProjectionConsumers(options: {
  js: JetStreamClient;
  jsm: JetStreamManager;
  db: InboxDatabase;
  namespace: EventNamespace;
  projections: readonly Projection[];
  logger: Logger;
  maxDeliver?: number;
  retryDelayMs?: (deliveryCount: number) => number;
  ackWaitMs?: number;
  streamReplicas?: number;
}): Promise<ProjectionConsumers> {
  const running: RunningConsumer[] = [];
  try {
    for (const projection of options.projections) {
      running.push(
        await startConsumer({
          js: options.js,
          jsm: options.jsm,
          db: options.db,
          namespace: options.namespace,
          stream: projection.stream,
          durableName: projection.durableName,
          eventTypes: projection.eventTypes,
          handle: projection.handle,
          logger: options.logger,
          ...(options.maxDeliver === undefined ? {} : { maxDeliver: options.maxDeliver }),
          ...(options.retryDelayMs === undefined ? {} : { retryDelayMs: options.retryDelayMs }),
          ...(options.ackWaitMs === undefined ? {} : { ackWaitMs: options.ackWaitMs }),
          ...(options.streamReplicas === undefined
            ? {}
            : { streamReplicas: options.streamReplicas }),
        }),
      );
    }
  } catch (error) {
    await Promise.allSettled(running.map((consumer) => consumer.stop()));
    throw error;
  }
  return {
    async waitUntilCaughtUp(waitOptions) {
      await Promise.all(running.map((consumer) => consumer.waitUntilCaughtUp(waitOptions)));
    },
    async stop() {
      await Promise.all(running.map((consumer) => consumer.stop()));
    },
  };
}
