import type { PubAck } from "@nats-io/jetstream";
import type { Logger } from "@switchyard/logging";
import type postgres from "postgres";
import type { BrokerOutage } from "./broker-outage.js";
import type { InterruptibleSleep } from "./interruptible-sleep.js";
import type { OutboxPublisher, PublishableOutboxRow } from "./outbox-publisher.js";
import { recordPublishFailure } from "./publish-failure.js";
import type { RetryPolicy } from "./retry-backoff.js";

/** How the delivery of one event from the change stream ended. */
export type CdcDeliveryOutcome =
  /** Stored in JetStream: its row is to be marked published. */
  | "published"
  /** Dead-lettered now, or found published/dead-lettered elsewhere: nothing more to do. */
  | "settled"
  /** The session ended first; the event is replayed from the slot by the next one. */
  | "abandoned";

export interface CdcEventDelivery {
  sql: postgres.Sql;
  publisher: OutboxPublisher;
  retry: RetryPolicy;
  logger: Logger;
  outage: BrokerOutage;
  /** Interrupted when the session ends. */
  sleep: InterruptibleSleep;
  sessionEnded(): boolean;
  onPublished?: ((row: PublishableOutboxRow, ack: PubAck) => void) | undefined;
}

/**
 * Publishes one event, retrying in place: the change stream keeps flowing, only the slot's
 * acknowledgement waits for this row. A broker outage waits without counting; a failure while
 * the broker answers counts against the row (recordPublishFailure), which dead-letters it after
 * the retry policy's attempts.
 */
export async function deliverCdcEvent(
  row: PublishableOutboxRow,
  delivery: CdcEventDelivery,
): Promise<CdcDeliveryOutcome> {
  const { publisher } = delivery;
  while (!delivery.sessionEnded()) {
    const generation = publisher.connectionGeneration();
    try {
      const ack = await publisher.publish(row);
      delivery.onPublished?.(row, ack);
      delivery.outage.up();
      return "published";
    } catch (error) {
      if (delivery.sessionEnded()) break;
      if (await publisher.brokerTrouble(generation)) {
        delivery.outage.down();
        await delivery.sleep.sleep(1_000);
        continue;
      }
      const outcome = await delivery.sql.begin((tx) =>
        recordPublishFailure(tx, row, error, delivery.retry, delivery.logger),
      );
      if (outcome.settled) return "settled";
      await delivery.sleep.sleep(outcome.retryInMs);
    }
  }
  return "abandoned";
}
