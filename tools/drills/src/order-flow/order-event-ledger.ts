import { orderPlaced } from "@switchyard/events";
import type postgres from "postgres";
import type { AppliedEvents } from "./order-placed-recorder.js";

/** Every count the drill's verdict needs, from the producer's database, the stream and the consumer. */
export interface OrderEventLedger {
  /** Orders the service confirmed to the caller. */
  ordersConfirmed: number;
  /** Rows in the orders table (a confirmed order is committed; an unconfirmed one may be too). */
  ordersStored: number;
  /** OrderPlaced outbox rows: published (PubAck received), pending, dead-lettered. */
  outbox: { published: number; pending: number; deadLettered: number };
  /** How the relay got there: rows that needed a retry, the most attempts one row used, the longest commit → published, and one error it retried. */
  relay: {
    rowsRetried: number;
    mostFailedAttempts: number;
    maxCommitToPublishedMs: number;
    sampleError: string | undefined;
  };
  /** Messages stored in the stream, and how many distinct event ids they carry. */
  stream: { messages: number; distinctEvents: number };
  consumer: { applied: number; distinctEvents: number };
  /** order-service's own projections: OrderPlaced events each recorded in its inbox. */
  projections: { consumer: string; applied: number }[];
  /** Events applied more than once by the consumer (rows beyond one per event id). */
  appliedTwice: number;
  /** Confirmed orders whose OrderPlaced never took effect at the consumer. */
  lost: string[];
}

/** Counts what happened to every confirmed order's OrderPlaced, end to end. */
export async function orderEventLedger(options: {
  serviceSql: postgres.Sql;
  confirmedOrderIds: readonly string[];
  streamEventIds: readonly string[];
  applied: AppliedEvents;
}): Promise<OrderEventLedger> {
  const { serviceSql, applied } = options;
  const [orders] = await serviceSql<{ stored: number }[]>`
    select count(*)::int as "stored" from orders`;
  const [outbox] = await serviceSql<
    {
      published: number;
      pending: number;
      deadLettered: number;
      rowsRetried: number;
      mostFailedAttempts: number;
      maxCommitToPublishedMs: number | null;
      sampleError: string | null;
    }[]
  >`
    select count(*) filter (where published_time is not null)::int as "published",
           count(*) filter (where published_time is null and dead_letter_time is null)::int as "pending",
           count(*) filter (where dead_letter_time is not null)::int as "deadLettered",
           count(*) filter (where attempts > 0)::int as "rowsRetried",
           coalesce(max(attempts), 0)::int as "mostFailedAttempts",
           (extract(epoch from max(published_time - create_time)) * 1000)::float8
             as "maxCommitToPublishedMs",
           max(last_error) as "sampleError"
      from outbox_messages where event_type = ${orderPlaced.typeName}`;
  const projections = await serviceSql<{ consumer: string; applied: number }[]>`
    select i.consumer, count(*)::int as "applied"
      from inbox_messages i join outbox_messages o on o.event_id = i.event_id
     where o.event_type = ${orderPlaced.typeName}
     group by i.consumer order by i.consumer`;
  return {
    ordersConfirmed: options.confirmedOrderIds.length,
    ordersStored: orders?.stored ?? 0,
    outbox: {
      published: outbox?.published ?? 0,
      pending: outbox?.pending ?? 0,
      deadLettered: outbox?.deadLettered ?? 0,
    },
    relay: {
      rowsRetried: outbox?.rowsRetried ?? 0,
      mostFailedAttempts: outbox?.mostFailedAttempts ?? 0,
      maxCommitToPublishedMs: Math.round(outbox?.maxCommitToPublishedMs ?? 0),
      sampleError: outbox?.sampleError ?? undefined,
    },
    stream: {
      messages: options.streamEventIds.length,
      distinctEvents: new Set(options.streamEventIds).size,
    },
    consumer: { applied: applied.rows, distinctEvents: applied.distinctEvents },
    projections: projections.map((row) => ({ consumer: row.consumer, applied: row.applied })),
    appliedTwice: applied.rows - applied.distinctEvents,
    lost: options.confirmedOrderIds.filter((orderId) => !applied.orderIds.has(orderId)),
  };
}
