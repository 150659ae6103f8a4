import {
  OrderStatus as EventOrderStatus,
  type OrderCancelled,
  type OrderPlaced,
  type OrderStatusChanged,
} from "@switchyard/contracts/grpc/switchyard/order/events/v1/order_events";
import {
  dateFromProtoTimestamp,
  orderCancelled,
  orderEventsStream,
  orderPlaced,
  orderStatusChanged,
} from "@switchyard/events";
import { type ConsumedEvent, type InboxDatabase, isEventOf } from "@switchyard/inbox";
import { type SQL, sql } from "drizzle-orm";
import type { OrderStatus } from "../domain/order.js";
import { createOrderSummaryBackfill } from "./order-summary-backfill.js";
import type { Projection } from "./projection.js";
import { orderSummaries, orderSummaryTotals } from "./projection-tables.js";

/** How one order event changes its customer's summary. Every field is an increment. */
export interface OrderSummaryChange {
  customerId: string;
  countDeltas: Partial<Record<OrderStatus, bigint>>;
  /** Change of the non-cancelled orders of one currency: their number and total. */
  totalDelta?: { currencyCode: string; orders: bigint; totalMinor: bigint };
  /** A placed order: the summary's last order if it is newer than the stored one. */
  placed?: { orderId: string; time: Date };
}

const statusFromEvent: Partial<Record<EventOrderStatus, OrderStatus>> = {
  [EventOrderStatus.ORDER_STATUS_PENDING]: "PENDING",
  [EventOrderStatus.ORDER_STATUS_CONFIRMED]: "CONFIRMED",
  [EventOrderStatus.ORDER_STATUS_SHIPPED]: "SHIPPED",
  [EventOrderStatus.ORDER_STATUS_CANCELLED]: "CANCELLED",
};

function statusOf(status: EventOrderStatus, field: string, eventId: string): OrderStatus {
  const mapped = statusFromEvent[status];
  if (mapped === undefined) throw new Error(`event ${eventId} has no valid ${field} (${status})`);
  return mapped;
}

/**
 * Translates an order event into increments of the summary: placed → +1 PENDING and + its
 * total; a status change moves one count; a cancellation moves one count to CANCELLED and
 * takes the order's total back out. Increments commute, so the order of application does not
 * matter once each event is applied exactly once (the inbox's job).
 */
export function orderSummaryChangeOf(event: ConsumedEvent): OrderSummaryChange {
  const eventId = event.envelope.id;
  if (isEventOf(event, orderPlaced)) {
    const message: OrderPlaced = event.message;
    if (message.occurTime === undefined)
      throw new Error(`OrderPlaced ${eventId} has no occur_time`);
    return {
      customerId: message.customerId,
      countDeltas: { PENDING: 1n },
      totalDelta: {
        currencyCode: message.currencyCode,
        orders: 1n,
        totalMinor: message.totalMinor,
      },
      placed: { orderId: message.orderId, time: dateFromProtoTimestamp(message.occurTime) },
    };
  }
  if (isEventOf(event, orderStatusChanged)) {
    const message: OrderStatusChanged = event.message;
    const from = statusOf(message.fromStatus, "from_status", eventId);
    const to = statusOf(message.toStatus, "to_status", eventId);
    // Cancellations carry the money to take back out; they must come as OrderCancelled.
    if (to === "CANCELLED") {
      throw new Error(`OrderStatusChanged ${eventId} moves to CANCELLED: expected OrderCancelled`);
    }
    return { customerId: message.customerId, countDeltas: { [from]: -1n, [to]: 1n } };
  }
  if (isEventOf(event, orderCancelled)) {
    const message: OrderCancelled = event.message;
    const previous = statusOf(message.previousStatus, "previous_status", eventId);
    return {
      customerId: message.customerId,
      countDeltas: { [previous]: -1n, CANCELLED: 1n },
      totalDelta: {
        currencyCode: message.currencyCode,
        orders: -1n,
        totalMinor: -message.totalMinor,
      },
    };
  }
  throw new Error(`the order summary projection does not handle ${event.type.typeName}`);
}

const countFields = {
  PENDING: "pendingCount",
  CONFIRMED: "confirmedCount",
  SHIPPED: "shippedCount",
  CANCELLED: "cancelledCount",
} as const;

/** Applies a change with one upsert per table touched. */
export async function applyOrderSummaryChange(
  tx: InboxDatabase,
  change: OrderSummaryChange,
): Promise<void> {
  const delta = (status: OrderStatus) => change.countDeltas[status] ?? 0n;
  const set: Partial<Record<keyof typeof orderSummaries.$inferInsert, SQL>> = {};
  for (const status of Object.keys(countFields) as OrderStatus[]) {
    if (delta(status) !== 0n) {
      const column = orderSummaries[countFields[status]];
      set[countFields[status]] = sql`${column} + excluded.${sql.identifier(column.name)}`;
    }
  }
  if (change.placed !== undefined) {
    // Newest order wins; equal times are broken by order id, as the orders table pages them.
    const newer = sql`(excluded.last_order_time, excluded.last_order_id) > (${orderSummaries.lastOrderTime}, ${orderSummaries.lastOrderId}) or ${orderSummaries.lastOrderId} is null`;
    set.lastOrderId = sql`case when ${newer} then excluded.last_order_id else ${orderSummaries.lastOrderId} end`;
    set.lastOrderTime = sql`case when ${newer} then excluded.last_order_time else ${orderSummaries.lastOrderTime} end`;
  }
  await tx
    .insert(orderSummaries)
    .values({
      customerId: change.customerId,
      pendingCount: delta("PENDING"),
      confirmedCount: delta("CONFIRMED"),
      shippedCount: delta("SHIPPED"),
      cancelledCount: delta("CANCELLED"),
      lastOrderId: change.placed?.orderId ?? null,
      lastOrderTime: change.placed?.time ?? null,
    })
    .onConflictDoUpdate({ target: orderSummaries.customerId, set });

  const total = change.totalDelta;
  if (total !== undefined) {
    await tx
      .insert(orderSummaryTotals)
      .values({
        customerId: change.customerId,
        currencyCode: total.currencyCode,
        orderCount: total.orders,
        totalMinor: total.totalMinor,
      })
      .onConflictDoUpdate({
        target: [orderSummaryTotals.customerId, orderSummaryTotals.currencyCode],
        set: {
          orderCount: sql`${orderSummaryTotals.orderCount} + excluded.order_count`,
          totalMinor: sql`${orderSummaryTotals.totalMinor} + excluded.total_minor`,
        },
      });
  }
}

/** The `order_summaries` read model: order-service's own order events → per-customer summary. */
export const orderSummaryProjection: Projection = {
  durableName: "order-service-order-summaries",
  stream: orderEventsStream,
  eventTypes: [orderPlaced, orderStatusChanged, orderCancelled],
  handle: (event, tx) => applyOrderSummaryChange(tx, orderSummaryChangeOf(event)),
  async reset(tx) {
    await tx.delete(orderSummaryTotals);
    await tx.delete(orderSummaries);
  },
  // Orders placed before this read model (or the event stream) existed: from the orders table.
  backfill: () =>
    createOrderSummaryBackfill({
      durableName: orderSummaryProjection.durableName,
      changeOf: orderSummaryChangeOf,
      apply: applyOrderSummaryChange,
    }),
};
