import type { PubAck } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/transport-node";
import type { EventNamespace } from "@switchyard/events";
import type { Logger } from "@switchyard/logging";
import type postgres from "postgres";
import { trackBrokerOutage } from "./broker-outage.js";
import { errorMessage } from "./error-message.js";
import { createInterruptibleSleep } from "./interruptible-sleep.js";
import { outboxChannel } from "./outbox-messages-table.js";
import {
  createOutboxPublisher,
  type OutboxPublisher,
  type PublishableOutboxRow,
} from "./outbox-publisher.js";
import { recordPublishFailure } from "./publish-failure.js";
import { defaultRetryPolicy, type RetryPolicy } from "./retry-backoff.js";

export interface OutboxRelayOptions {
  /** The producing service's pool (the relay holds one connection per batch, one for LISTEN). */
  sql: postgres.Sql;
  nats: NatsConnection;
  namespace: EventNamespace;
  /** CloudEvents `ce-source`, e.g. `switchyard/order-service`. */
  source: string;
  logger: Logger;
  /** Rows claimed and published per transaction. Default 100. */
  batchSize?: number;
  retry?: Partial<RetryPolicy>;
  /** Wake on NOTIFY from `appendToOutbox`. Default true; false = polling only (benchmarks). */
  listen?: boolean;
  /** Shortest poll delay after an empty batch. Default 10. */
  minPollIntervalMs?: number;
  /** Longest poll delay when idle (also bounds how late a due retry is picked up). Default 1000. */
  maxPollIntervalMs?: number;
  /** PubAck timeout. Default 5000. */
  publishTimeoutMs?: number;
  /** Called as each PubAck arrives (metrics, benchmarks). */
  onPublished?: (row: PublishableOutboxRow, ack: PubAck) => void;
}

export interface OutboxRelay {
  /** Starts the loop in the background; idempotent. */
  start(): void;
  /** Finishes the batch in flight (its rows are published and marked), then stops. */
  stop(): Promise<void>;
  /** Claims, publishes and marks one batch now; the number of rows published. For tests. */
  relayBatch(): Promise<number>;
}

type BatchOutcome = { published: number; brokerDown: boolean };

/**
 * The polling outbox relay: claims due rows with `FOR UPDATE SKIP LOCKED` (so N replicas share
 * the work without publishing a row twice), publishes each with `Nats-Msg-Id` = event id, waits
 * for the PubAcks, marks the rows published and commits. A crash anywhere before the commit
 * leaves the rows pending: they are published again and JetStream drops the duplicates.
 * Failed rows back off exponentially and are dead-lettered after `maxAttempts`; while the
 * broker is unreachable nothing counts against the rows. Wakes on NOTIFY, else polls
 * adaptively: the delay is half the time since it last found work, between
 * `minPollIntervalMs` and `maxPollIntervalMs`, so a busy outbox is polled every few ms and an
 * idle one about once a second.
 */
export function createOutboxRelay(options: OutboxRelayOptions): OutboxRelay {
  const { sql, logger } = options;
  const batchSize = options.batchSize ?? 100;
  const retry: RetryPolicy = { ...defaultRetryPolicy, ...options.retry };
  const minPollMs = options.minPollIntervalMs ?? 10;
  const maxPollMs = options.maxPollIntervalMs ?? 1_000;
  const publisher: OutboxPublisher = createOutboxPublisher({
    nats: options.nats,
    namespace: options.namespace,
    source: options.source,
    ...(options.publishTimeoutMs === undefined
      ? {}
      : { publishTimeoutMs: options.publishTimeoutMs }),
  });

  const outage = trackBrokerOutage({
    logger,
    relay: "outbox relay",
    meanwhile: "rows stay pending until it is back",
  });
  const idle = createInterruptibleSleep();
  let running = false;
  let loop: Promise<void> | undefined;
  // A NOTIFY between two batches must not be slept through: the next sleep is skipped.
  let wakeRequested = false;

  function requestWake(): void {
    wakeRequested = true;
    idle.interrupt();
  }

  function sleep(ms: number): Promise<void> {
    if (wakeRequested || !running) return Promise.resolve();
    return idle.sleep(ms);
  }

  async function runBatch(): Promise<BatchOutcome> {
    return sql.begin(async (tx) => {
      // Epoch milliseconds, not timestamptz: drizzle, sharing this client in the services,
      // replaces postgres.js's date parser with a pass-through that yields strings.
      const claimed = await tx<
        (Omit<PublishableOutboxRow, "occurTime" | "createTime"> & {
          occurTimeMs: number;
          createTimeMs: number;
        })[]
      >`
        select event_id as "eventId", subject, event_type as "eventType", payload,
               traceparent, (extract(epoch from occur_time) * 1000)::float8 as "occurTimeMs",
               (extract(epoch from create_time) * 1000)::float8 as "createTimeMs"
        from outbox_messages
        where published_time is null and dead_letter_time is null and next_attempt_time <= now()
        order by create_time
        limit ${batchSize}
        for update skip locked`;
      const rows: PublishableOutboxRow[] = claimed.map(({ occurTimeMs, createTimeMs, ...row }) => ({
        ...row,
        occurTime: new Date(occurTimeMs),
        createTime: new Date(createTimeMs),
      }));
      if (rows.length === 0) return { published: 0, brokerDown: false };
      const generation = publisher.connectionGeneration();

      // All in flight at once: one connection pipelines them and JetStream stores them in
      // the order sent, so a batch costs about one round trip instead of one per row.
      const results = await Promise.allSettled(
        rows.map(async (row) => {
          const ack = await publisher.publish(row);
          options.onPublished?.(row, ack);
          return ack;
        }),
      );
      const publishedIds: string[] = [];
      const failures: { row: PublishableOutboxRow; error: unknown }[] = [];
      results.forEach((result, index) => {
        const row = rows[index] as PublishableOutboxRow;
        if (result.status === "fulfilled") publishedIds.push(row.eventId);
        else failures.push({ row, error: result.reason });
      });
      if (publishedIds.length > 0) {
        await tx`update outbox_messages set published_time = now()
                 where event_id in ${tx(publishedIds)}`;
      }
      const brokerDown = failures.length > 0 && (await publisher.brokerTrouble(generation));
      if (!brokerDown) {
        for (const { row, error } of failures) {
          await recordPublishFailure(tx, row, error, retry, logger);
        }
      }
      return { published: publishedIds.length, brokerDown };
    });
  }

  async function run(): Promise<void> {
    let listener: { unlisten(): Promise<void> } | undefined;
    if (options.listen ?? true) {
      try {
        // onlisten also fires after postgres.js re-establishes LISTEN: catch up on rows whose
        // NOTIFY fell into the gap.
        listener = await sql.listen(outboxChannel, requestWake, requestWake);
      } catch (error) {
        logger.warn({ error: errorMessage(error) }, "outbox relay cannot LISTEN; polling only");
      }
    }
    let lastWorkAt = Date.now();
    let errorDelayMs = minPollMs;
    while (running) {
      wakeRequested = false;
      try {
        const outcome = await runBatch();
        errorDelayMs = minPollMs;
        if (outcome.brokerDown) {
          outage.down();
          await sleep(1_000);
          continue;
        }
        outage.up();
        if (outcome.published > 0) {
          lastWorkAt = Date.now();
          continue;
        }
        // Quiet for t → wait about t/2: the added latency stays a fraction of the gap
        // between events, and polling costs little when there is nothing to do.
        const idleMs = Date.now() - lastWorkAt;
        await sleep(Math.min(maxPollMs, Math.max(minPollMs, idleMs / 2)));
      } catch (error) {
        if (!running) break;
        logger.error({ error: errorMessage(error) }, "outbox relay batch failed");
        await sleep(errorDelayMs);
        errorDelayMs = Math.min(5_000, Math.max(100, errorDelayMs * 2));
      }
    }
    await listener?.unlisten().catch(() => {});
  }

  return {
    start() {
      if (running) return;
      running = true;
      loop = run();
    },
    async stop() {
      running = false;
      idle.interrupt();
      await loop;
      loop = undefined;
    },
    async relayBatch() {
      return (await runBatch()).published;
    },
  };
}
