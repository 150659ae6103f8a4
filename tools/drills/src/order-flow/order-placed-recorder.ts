import { jetstream, jetstreamManager } from "@nats-io/jetstream";
import { connectDatabase } from "@switchyard/database";
import {
  connectNats,
  type EventNamespace,
  orderEventsStream,
  orderPlaced,
} from "@switchyard/events";
import {
  inboxMessagesDdl,
  isEventOf,
  type RunningConsumer,
  startConsumer,
} from "@switchyard/inbox";
import type { Logger } from "@switchyard/logging";
import { createTestDatabase } from "@switchyard/testing";
import { sql } from "drizzle-orm";

/** What the recording consumer applied, read back from its database. */
export interface AppliedEvents {
  /** Rows written by the handler: more than `distinctEvents` means an event was applied twice. */
  rows: number;
  distinctEvents: number;
  /** Order ids whose OrderPlaced was applied. */
  orderIds: Set<string>;
  /** Longest delay from the order's commit (ce-time) to its event being applied, in ms. */
  maxCommitToAppliedMs: number;
  /** When the first event committed after `since` was applied (epoch ms), if any. */
  firstAppliedCommittedAfter(since: number): Promise<number | undefined>;
}

export interface OrderPlacedRecorder {
  readonly durableName: string;
  waitUntilCaughtUp(options: { timeoutMs: number }): Promise<void>;
  applied(): Promise<AppliedEvents>;
  /** Stops the consumer, closes its connections and drops its database. */
  stop(): Promise<void>;
}

/** The handler's effect table: deliberately WITHOUT a unique key, so a double apply shows. */
const appliedEventsDdl = `create table drill_applied_events (
  event_id uuid not null,
  order_id uuid not null,
  commit_time timestamptz(3) not null,
  apply_time timestamptz(3) not null default clock_timestamp()
)`;

/**
 * A downstream service in miniature: its own database (inbox table + one effect table), its
 * own NATS connection, and a durable JetStream consumer from `@switchyard/inbox` — the same
 * inbox dedup, acks and redelivery the project's consumers use — that records every
 * OrderPlaced it applies. The effect table has no unique key on purpose: it is the witness
 * that each event took effect once.
 */
export async function startOrderPlacedRecorder(options: {
  natsUrl: string;
  namespace: EventNamespace;
  logger: Logger;
}): Promise<OrderPlacedRecorder> {
  const durableName = "drill-order-placed-recorder";
  const testDatabase = await createTestDatabase({ prefix: "drill_consumer" });
  const database = connectDatabase({ url: testDatabase.url, max: 4 });
  let consumer: RunningConsumer | undefined;
  let nats: Awaited<ReturnType<typeof connectNats>> | undefined;
  const stop = async () => {
    await consumer?.stop();
    await nats?.close();
    await database.close();
    await testDatabase.drop();
  };
  try {
    await database.sql.unsafe(inboxMessagesDdl);
    await database.sql.unsafe(appliedEventsDdl);
    nats = await connectNats({ url: options.natsUrl, name: "drill-recorder" });
    consumer = await startConsumer({
      js: jetstream(nats),
      jsm: await jetstreamManager(nats),
      db: database.db,
      namespace: options.namespace,
      stream: orderEventsStream,
      durableName,
      eventTypes: [orderPlaced],
      async handle(event, tx) {
        if (!isEventOf(event, orderPlaced)) return;
        await tx.execute(sql`insert into drill_applied_events (event_id, order_id, commit_time)
          values (${event.envelope.id}, ${event.message.orderId}, ${event.envelope.time.toISOString()})`);
      },
      logger: options.logger,
    });
  } catch (error) {
    await stop();
    throw error;
  }
  const running = consumer;
  return {
    durableName,
    waitUntilCaughtUp: ({ timeoutMs }) => running.waitUntilCaughtUp({ timeoutMs }),
    async applied() {
      const [totals] = await database.sql<
        { rows: number; distinctEvents: number; maxDelayMs: number | null }[]
      >`select count(*)::int as "rows",
               count(distinct event_id)::int as "distinctEvents",
               (extract(epoch from max(apply_time - commit_time)) * 1000)::int as "maxDelayMs"
          from drill_applied_events`;
      const orders = await database.sql<{ orderId: string }[]>`
        select distinct order_id::text as "orderId" from drill_applied_events`;
      return {
        rows: totals?.rows ?? 0,
        distinctEvents: totals?.distinctEvents ?? 0,
        orderIds: new Set(orders.map((row) => row.orderId)),
        maxCommitToAppliedMs: totals?.maxDelayMs ?? 0,
        async firstAppliedCommittedAfter(since) {
          const [row] = await database.sql<{ at: number | null }[]>`
            select (extract(epoch from min(apply_time)) * 1000)::float8 as "at"
              from drill_applied_events where commit_time > ${new Date(since).toISOString()}`;
          return row?.at ?? undefined;
        },
      };
    },
    stop,
  };
}
