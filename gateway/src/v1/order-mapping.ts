import type { MessageInitShape } from "@bufbuild/protobuf";
import {
  type OrderSchema,
  OrderStatus,
  type PlaceOrderRequest,
} from "@switchyard/contracts/connect/switchyard/edge/v1/order_service_pb";
import {
  type Order as InternalOrder,
  OrderStatus as InternalOrderStatus,
  type PlaceOrderRequest as InternalPlaceOrderRequest,
} from "@switchyard/contracts/grpc/switchyard/order/v1/order_service";
import { toPublicTimestamp } from "../timestamp-mapping.js";

const statuses: Record<InternalOrderStatus, OrderStatus> = {
  [InternalOrderStatus.ORDER_STATUS_UNSPECIFIED]: OrderStatus.UNSPECIFIED,
  [InternalOrderStatus.ORDER_STATUS_PENDING]: OrderStatus.PENDING,
  [InternalOrderStatus.ORDER_STATUS_CONFIRMED]: OrderStatus.CONFIRMED,
  [InternalOrderStatus.ORDER_STATUS_SHIPPED]: OrderStatus.SHIPPED,
  [InternalOrderStatus.ORDER_STATUS_CANCELLED]: OrderStatus.CANCELLED,
  [InternalOrderStatus.UNRECOGNIZED]: OrderStatus.UNSPECIFIED,
};

/** The internal order as a v1 Order: amounts in minor units ("cents"), no update time. */
export function toV1Order(order: InternalOrder): MessageInitShape<typeof OrderSchema> {
  return {
    orderId: order.orderId,
    customerId: order.customerId,
    status: statuses[order.status] ?? OrderStatus.UNSPECIFIED,
    currencyCode: order.currencyCode,
    totalCents: order.totalMinor,
    lines: order.lines.map((line) => ({
      sku: line.sku,
      quantity: line.quantity,
      unitPriceCents: line.unitPriceMinor,
    })),
    createTime: toPublicTimestamp(order.createTime),
  };
}

/** A v1 PlaceOrder as the internal request (lines take the order currency). */
export function toInternalPlaceOrder(request: PlaceOrderRequest): InternalPlaceOrderRequest {
  return {
    customerId: request.customerId,
    currencyCode: request.currencyCode,
    lines: request.lines.map((line) => ({
      sku: line.sku,
      quantity: line.quantity,
      unitPriceMinor: line.unitPriceCents,
      currencyCode: "",
    })),
  };
}

/** Internal field paths in order-service errors, as v1 calls them. */
export function v1OrderField(field: string): string {
  return field.replace(/\.unit_price_minor$/, ".unit_price_cents");
}
