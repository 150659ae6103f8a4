import type { MessageInitShape } from "@bufbuild/protobuf";
import {
  type OrderSchema,
  OrderStatus,
} from "@switchyard/contracts/connect/switchyard/edge/v2/order_service_pb";
import {
  type Order as InternalOrder,
  OrderStatus as InternalOrderStatus,
} from "@switchyard/contracts/grpc/switchyard/order/v1/order_service";
import { toPublicTimestamp } from "../timestamp-mapping.js";
import { toMoney } from "./money-mapping.js";

const statuses: Record<InternalOrderStatus, OrderStatus> = {
  [InternalOrderStatus.ORDER_STATUS_UNSPECIFIED]: OrderStatus.UNSPECIFIED,
  [InternalOrderStatus.ORDER_STATUS_PENDING]: OrderStatus.PENDING,
  [InternalOrderStatus.ORDER_STATUS_CONFIRMED]: OrderStatus.CONFIRMED,
  [InternalOrderStatus.ORDER_STATUS_SHIPPED]: OrderStatus.SHIPPED,
  [InternalOrderStatus.ORDER_STATUS_CANCELLED]: OrderStatus.CANCELLED,
  [InternalOrderStatus.UNRECOGNIZED]: OrderStatus.UNSPECIFIED,
};

/** The internal order as a v2 Order: every amount a Money in the order currency. */
export function toV2Order(order: InternalOrder): MessageInitShape<typeof OrderSchema> {
  const money = (minor: bigint) => toMoney(order.currencyCode, minor);
  return {
    orderId: order.orderId,
    customerId: order.customerId,
    status: statuses[order.status] ?? OrderStatus.UNSPECIFIED,
    lines: order.lines.map((line) => ({
      sku: line.sku,
      quantity: line.quantity,
      unitPrice: money(line.unitPriceMinor),
      lineTotal: money(line.lineTotalMinor),
    })),
    total: money(order.totalMinor),
    cancelReason: order.cancelReason,
    createTime: toPublicTimestamp(order.createTime),
    updateTime: toPublicTimestamp(order.updateTime),
  };
}

/** Internal field paths in order-service errors, as v2 calls them. */
export function v2OrderField(field: string): string {
  if (field === "currency_code") return "lines[0].unit_price.currency_code";
  return field.replace(/\.unit_price_minor$/, ".unit_price");
}
