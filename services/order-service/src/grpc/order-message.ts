import type { Timestamp } from "@switchyard/contracts/grpc/google/protobuf/timestamp";
import {
  type CustomerOrderSummary as CustomerOrderSummaryMessage,
  type Order as OrderMessage,
  OrderStatus as OrderStatusMessage,
} from "@switchyard/contracts/grpc/switchyard/order/v1/order_service";
import type { CustomerOrderSummary } from "../domain/customer-order-summary.js";
import { type Order, type OrderStatus, orderStatuses } from "../domain/order.js";

const statusMessages: Record<OrderStatus, OrderStatusMessage> = {
  PENDING: OrderStatusMessage.ORDER_STATUS_PENDING,
  CONFIRMED: OrderStatusMessage.ORDER_STATUS_CONFIRMED,
  SHIPPED: OrderStatusMessage.ORDER_STATUS_SHIPPED,
  CANCELLED: OrderStatusMessage.ORDER_STATUS_CANCELLED,
};

/** The wire form (switchyard.order.v1.Order) of a domain order. */
export function toOrderMessage(order: Order): OrderMessage {
  return {
    orderId: order.orderId,
    customerId: order.customerId,
    status: statusMessages[order.status],
    currencyCode: order.currencyCode,
    lines: order.lines.map((line) => ({
      sku: line.sku,
      quantity: line.quantity,
      unitPriceMinor: line.unitPriceMinor,
      lineTotalMinor: line.lineTotalMinor,
    })),
    totalMinor: order.totalMinor,
    cancelReason: order.cancelReason ?? "",
    version: order.version,
    createTime: toTimestamp(order.createTime),
    updateTime: toTimestamp(order.updateTime),
  };
}

/** The wire form (switchyard.order.v1.CustomerOrderSummary) of a customer's summary. */
export function toCustomerOrderSummaryMessage(
  summary: CustomerOrderSummary,
): CustomerOrderSummaryMessage {
  return {
    customerId: summary.customerId,
    orderCount: summary.orderCount,
    countByStatus: orderStatuses.map((status) => ({
      status: statusMessages[status],
      count: summary.countByStatus[status] ?? 0n,
    })),
    lifetimeTotals: summary.lifetimeTotals,
    lastOrderId: summary.lastOrder?.orderId ?? "",
    lastOrderTime: summary.lastOrder ? toTimestamp(summary.lastOrder.createTime) : undefined,
  };
}

function toTimestamp(date: Date): Timestamp {
  const millis = date.getTime();
  const seconds = Math.floor(millis / 1000);
  return { seconds: BigInt(seconds), nanos: (millis - seconds * 1000) * 1_000_000 };
}
