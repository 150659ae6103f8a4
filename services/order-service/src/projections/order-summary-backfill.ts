import { orderCancelled, orderPlaced, orderStatusChanged } from "@switchyard/events";
import {
  type ConsumedEvent,
  type InboxDatabase,
  inboxMessages,
  isEventOf,
} from "@switchyard/inbox";
import { sql } from "drizzle-orm";
import type { OrderStatus } from "../domain/order.js";
import type { OrderSummaryChange } from "./order-summary-projection.js";
import type { ProjectionBackfill } from "./projection.js";

/** An order as the backfill reads it: its row and the ids of its events still in the outbox. */
interface OrderRow {
  orderId: string;
  customerId: string;
  status: OrderStatus;
  currencyCode: string;
  totalMinor: string;
  createMs: number;
  outboxEventIds: string[] | null;
}

const pageSize = 1_000;

/**
 * The part of an order-summary rebuild the stream cannot do: orders placed before the read
 * model (or the event stream) existed, or whose OrderPlaced is no longer in the stream, are
 * summarized from the `orders` table, the source of truth, in the rebuild's transaction.
 *
 * Exactly once, with the live consumer running: the replay notes which orders it saw placed;
 * for every other order, the effects the replay applied for it (status changes of an order
 * whose OrderPlaced is gone) are taken back out, its current state from the table is added,
 * and its events still in the outbox (committed, maybe not yet published or consumed) are
 * entered in the inbox, so the live consumer skips them — the table row already includes
 * them. Each order row is read with its outbox events in one statement (one snapshot); the
 * inbox lock the replay holds keeps the live consumer out until the commit. Idempotent: a
 * rebuild starts from empty tables, so running it again gives the same rows.
 */
export function createOrderSummaryBackfill(options: {
  durableName: string;
  /** The projection's own translation and upsert (passed in: its module defines the projection). */
  changeOf(event: ConsumedEvent): OrderSummaryChange;
  apply(tx: InboxDatabase, change: OrderSummaryChange): Promise<void>;
}): ProjectionBackfill {
  const placedInStream = new Set<string>();
  const laterChanges = new Map<string, OrderSummaryChange[]>();

  return {
    applied(event) {
      const orderId = orderIdOf(event);
      if (orderId === undefined) return;
      if (isEventOf(event, orderPlaced)) {
        placedInStream.add(orderId);
        laterChanges.delete(orderId);
      } else if (!placedInStream.has(orderId)) {
        const changes = laterChanges.get(orderId) ?? [];
        changes.push(options.changeOf(event));
        laterChanges.set(orderId, changes);
      }
    },

    async finish(tx) {
      let seededOrders = 0;
      for (let after = ""; ; ) {
        const page = await readOrderPage(tx, after);
        for (const order of page) {
          if (placedInStream.has(order.orderId)) continue;
          for (const change of laterChanges.get(order.orderId) ?? []) {
            await options.apply(tx, negated(change));
          }
          await options.apply(tx, currentStateOf(order));
          const eventIds = order.outboxEventIds ?? [];
          if (eventIds.length > 0) {
            await tx
              .insert(inboxMessages)
              .values(eventIds.map((eventId) => ({ consumer: options.durableName, eventId })))
              .onConflictDoNothing();
          }
          seededOrders++;
        }
        if (page.length < pageSize) break;
        after = (page.at(-1) as OrderRow).orderId;
      }
      return seededOrders;
    },
  };
}

/** One page of orders by id, each with its outbox event ids, in ONE statement (one snapshot). */
async function readOrderPage(tx: InboxDatabase, after: string): Promise<OrderRow[]> {
  // Epoch milliseconds and text: drizzle's postgres.js client returns raw strings for these.
  // A join, not a subquery per order: outbox_messages has no index on aggregate_id.
  const rows = await tx.execute(sql`
    select o.order_id as "orderId", o.customer_id as "customerId", o.status,
           o.currency_code as "currencyCode", o.total_minor::text as "totalMinor",
           (extract(epoch from o.create_time) * 1000)::float8 as "createMs",
           array_remove(array_agg(m.event_id::text), null) as "outboxEventIds"
    from (select * from orders
          where ${after === "" ? sql`true` : sql`order_id > ${after}::uuid`}
          order by order_id
          limit ${pageSize}) o
    left join outbox_messages m on m.aggregate_id = o.order_id::text
    group by o.order_id, o.customer_id, o.status, o.currency_code, o.total_minor, o.create_time
    order by o.order_id`);
  return rows as unknown as OrderRow[];
}

/** What an order adds to the summary as it stands: its status, its total unless cancelled. */
function currentStateOf(order: OrderRow): OrderSummaryChange {
  return {
    customerId: order.customerId,
    countDeltas: { [order.status]: 1n },
    ...(order.status === "CANCELLED"
      ? {}
      : {
          totalDelta: {
            currencyCode: order.currencyCode,
            orders: 1n,
            totalMinor: BigInt(order.totalMinor),
          },
        }),
    placed: { orderId: order.orderId, time: new Date(order.createMs) },
  };
}

/** Takes a status change or cancellation back out (never an OrderPlaced: its last order stays). */
function negated(change: OrderSummaryChange): OrderSummaryChange {
  const countDeltas: OrderSummaryChange["countDeltas"] = {};
  for (const [status, delta] of Object.entries(change.countDeltas)) {
    countDeltas[status as OrderStatus] = -(delta as bigint);
  }
  return {
    customerId: change.customerId,
    countDeltas,
    ...(change.totalDelta
      ? {
          totalDelta: {
            currencyCode: change.totalDelta.currencyCode,
            orders: -change.totalDelta.orders,
            totalMinor: -change.totalDelta.totalMinor,
          },
        }
      : {}),
  };
}

function orderIdOf(event: ConsumedEvent): string | undefined {
  if (
    isEventOf(event, orderPlaced) ||
    isEventOf(event, orderStatusChanged) ||
    isEventOf(event, orderCancelled)
  ) {
    return event.message.orderId;
  }
  return undefined;
}
