import type { PubAck } from "@nats-io/jetstream";
import type { Logger } from "@switchyard/logging";
import type postgres from "postgres";
import type { OutboxPublisher, PublishableOutboxRow } from "./outbox-publisher.js";
import { recordPublishFailure } from "./publish-failure.js";
import type { RetryPolicy } from "./retry-backoff.js";

/**
 * Publishes pending rows the change stream will never deliver: rows committed before the
 * replication slot existed (a service switching from poll to CDC) and redriven dead letters (an
 * UPDATE, and the publication carries inserts only). `minAgeMs` keeps it off rows the stream
 * is about to publish; a row both publish is dropped by JetStream's duplicate window.
 */
export function createCdcCatchUpSweep(options: {
  sql: postgres.Sql;
  publisher: OutboxPublisher;
  retry: RetryPolicy;
  logger: Logger;
  batchSize?: number;
  onPublished?: (row: PublishableOutboxRow, ack: PubAck) => void;
}) {
  const { sql, publisher } = options;
  const batchSize = options.batchSize ?? 100;

  async function runBatch(minAgeMs: number): Promise<{ claimed: number; brokerDown: boolean }> {
    return sql.begin(async (tx) => {
      // Epoch milliseconds, not timestamptz: drizzle(sql) on the same client replaces
      // postgres.js's date parsers with ones that return strings.
      const selected = await tx<
        (Omit<PublishableOutboxRow, "occurTime" | "createTime"> & {
          occurMs: number;
          createMs: number;
        })[]
      >`
        select event_id as "eventId", subject, event_type as "eventType", payload,
               traceparent, (extract(epoch from occur_time) * 1000)::float8 as "occurMs",
               (extract(epoch from create_time) * 1000)::float8 as "createMs"
        from outbox_messages
        where published_time is null and dead_letter_time is null and next_attempt_time <= now()
          and create_time <= now() - ${minAgeMs} * interval '1 millisecond'
        order by create_time
        limit ${batchSize}
        for update skip locked`;
      const rows = selected.map(({ occurMs, createMs, ...row }) => ({
        ...row,
        occurTime: new Date(occurMs),
        createTime: new Date(createMs),
      }));
      const generation = publisher.connectionGeneration();
      const results = await Promise.allSettled(
        rows.map(async (row) => {
          const ack = await publisher.publish(row);
          options.onPublished?.(row, ack);
        }),
      );
      const published = rows.filter((_, index) => results[index]?.status === "fulfilled");
      if (published.length > 0) {
        await tx`update outbox_messages set published_time = now()
                 where event_id in ${tx(published.map((row) => row.eventId))}`;
      }
      const failed = rows.flatMap((row, index) => {
        const result = results[index];
        return result?.status === "rejected" ? [{ row, error: result.reason as unknown }] : [];
      });
      const brokerDown = failed.length > 0 && (await publisher.brokerTrouble(generation));
      if (!brokerDown) {
        for (const { row, error } of failed) {
          await recordPublishFailure(tx, row, error, options.retry, options.logger);
        }
      }
      return { claimed: rows.length, brokerDown };
    });
  }

  return {
    /** Sweeps batch after batch until none is left (or the broker is unreachable). */
    async runUntilEmpty(runOptions: { minAgeMs: number }): Promise<number> {
      let total = 0;
      for (;;) {
        const { claimed, brokerDown } = await runBatch(runOptions.minAgeMs);
        total += claimed;
        if (claimed < batchSize || brokerDown) return total;
      }
    },
  };
}
