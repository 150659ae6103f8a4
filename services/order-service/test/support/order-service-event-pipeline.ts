import { jetstream, jetstreamManager } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/transport-node";
import type { Database } from "@switchyard/database";
import {
  connectNats,
  type EventNamespace,
  ensureStream,
  orderEventsStream,
} from "@switchyard/events";
import { createLogger } from "@switchyard/logging";
import { createOutboxRelay } from "@switchyard/outbox";
import { createTestNats } from "@switchyard/testing";
import { startProjectionConsumers } from "../../src/consumers/projection-consumers.js";
import { orderServiceProjections } from "../../src/projections/order-service-projections.js";

/** What main.ts runs beside the gRPC server: the outbox relay and the projection consumers. */
export interface OrderServiceEventPipeline {
  namespace: EventNamespace;
  nats: NatsConnection;
  /**
   * Resolves once every event written so far is published and consumed: the outbox has no
   * pending row and every projection consumer has acknowledged its whole stream. Bounded.
   */
  waitForReadModels(options?: { timeoutMs?: number }): Promise<void>;
  close(): Promise<void>;
}

/** Starts the relay and the consumers over `database`, on real NATS under a fresh namespace. */
export async function startOrderServiceEventPipeline(
  database: Database,
): Promise<OrderServiceEventPipeline> {
  const logger = createLogger({ service: "order-service", level: "silent" });
  const testNats = await createTestNats();
  const nats = await connectNats({ url: testNats.url, name: "order-service-test" });
  const namespace = { prefix: testNats.prefix };
  const jsm = await jetstreamManager(nats);
  await ensureStream(jsm, orderEventsStream, namespace);
  const relay = createOutboxRelay({
    sql: database.sql,
    nats,
    namespace,
    source: "switchyard/order-service",
    logger,
  });
  relay.start();
  const consumers = await startProjectionConsumers({
    js: jetstream(nats),
    jsm,
    db: database.db,
    namespace,
    projections: orderServiceProjections,
    logger,
  });

  return {
    namespace,
    nats,
    async waitForReadModels({ timeoutMs = 15_000 } = {}) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const [row] = await database.sql<{ pending: number }[]>`
          select count(*)::int as pending from outbox_messages
          where published_time is null and dead_letter_time is null`;
        if (row?.pending === 0) break;
        if (Date.now() > deadline) {
          throw new Error(`${row?.pending} outbox rows still unpublished after ${timeoutMs} ms`);
        }
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      await consumers.waitUntilCaughtUp({ timeoutMs: Math.max(1, deadline - Date.now()) });
    },
    async close() {
      await consumers.stop();
      await relay.stop();
      await nats.close();
      await testNats.close();
    },
  };
}
