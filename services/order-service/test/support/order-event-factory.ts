import { randomUUID } from "node:crypto";
import {
  type OrderCancelled,
  type OrderPlaced,
  OrderStatus,
  type OrderStatusChanged,
} from "@switchyard/contracts/grpc/switchyard/order/events/v1/order_events";
import { protoTimestamp } from "@switchyard/events";

let clock = Date.UTC(2026, 0, 1);

/** Order events as order-service publishes them, with increasing occur times. */
export const orderEvents = {
  placed(customerId: string, currencyCode: string, totalMinor: bigint): OrderPlaced {
    clock += 1;
    return {
      eventId: randomUUID(),
      occurTime: protoTimestamp(new Date(clock)),
      orderId: randomUUID(),
      orderVersion: 1n,
      customerId,
      currencyCode,
      totalMinor,
      lines: [{ sku: "SKU-1", quantity: 1, unitPriceMinor: totalMinor }],
    };
  },
  moved(
    placed: OrderPlaced,
    from: OrderStatus,
    to: OrderStatus,
    version: bigint,
  ): OrderStatusChanged {
    clock += 1;
    return {
      eventId: randomUUID(),
      occurTime: protoTimestamp(new Date(clock)),
      orderId: placed.orderId,
      orderVersion: version,
      customerId: placed.customerId,
      fromStatus: from,
      toStatus: to,
    };
  },
  cancelled(placed: OrderPlaced, previous: OrderStatus, version: bigint): OrderCancelled {
    clock += 1;
    return {
      eventId: randomUUID(),
      occurTime: protoTimestamp(new Date(clock)),
      orderId: placed.orderId,
      orderVersion: version,
      customerId: placed.customerId,
      previousStatus: previous,
      reason: "changed my mind",
      currencyCode: placed.currencyCode,
      totalMinor: placed.totalMinor,
    };
  },
};

export { OrderStatus };
