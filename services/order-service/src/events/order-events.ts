import {
  type OrderCancelled,
  type OrderPlaced,
  type OrderStatusChanged,
  OrderStatus as WireOrderStatus,
} from "@switchyard/contracts/grpc/switchyard/order/events/v1/order_events";
import { protoTimestamp } from "@switchyard/events";
import type { Order, OrderStatus } from "../domain/order.js";

// The integration events published for an order change, built from the order as stored.
// Event ids are left empty: appendToOutbox assigns them. Occurrence time is the stored
// updateTime, so event and row agree on when it happened.

const wireStatus: Record<OrderStatus, WireOrderStatus> = {
  PENDING: WireOrderStatus.ORDER_STATUS_PENDING,
  CONFIRMED: WireOrderStatus.ORDER_STATUS_CONFIRMED,
  SHIPPED: WireOrderStatus.ORDER_STATUS_SHIPPED,
  CANCELLED: WireOrderStatus.ORDER_STATUS_CANCELLED,
};

/** OrderPlaced for a just-inserted order. */
export function orderPlacedEvent(order: Order): OrderPlaced {
  return {
    eventId: "",
    occurTime: protoTimestamp(order.updateTime),
    orderId: order.orderId,
    orderVersion: order.version,
    customerId: order.customerId,
    currencyCode: order.currencyCode,
    totalMinor: order.totalMinor,
    lines: order.lines.map((line) => ({
      sku: line.sku,
      quantity: line.quantity,
      unitPriceMinor: line.unitPriceMinor,
    })),
  };
}

/** OrderStatusChanged for a forward move (confirm, ship). */
export function orderStatusChangedEvent(order: Order, from: OrderStatus): OrderStatusChanged {
  return {
    eventId: "",
    occurTime: protoTimestamp(order.updateTime),
    orderId: order.orderId,
    orderVersion: order.version,
    customerId: order.customerId,
    fromStatus: wireStatus[from],
    toStatus: wireStatus[order.status],
  };
}

/** OrderCancelled for a just-cancelled order. */
export function orderCancelledEvent(order: Order, previous: OrderStatus): OrderCancelled {
  return {
    eventId: "",
    occurTime: protoTimestamp(order.updateTime),
    orderId: order.orderId,
    orderVersion: order.version,
    customerId: order.customerId,
    previousStatus: wireStatus[previous],
    reason: order.cancelReason ?? "",
    currencyCode: order.currencyCode,
    totalMinor: order.totalMinor,
  };
}
