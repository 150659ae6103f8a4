import { create } from "@bufbuild/protobuf";
import { type Timestamp, TimestampSchema } from "@bufbuild/protobuf/wkt";
import {
  type Money,
  MoneySchema,
  type OrderDetail,
  OrderDetailSchema,
  type OrderRow,
  OrderRowSchema,
  type OrderStats,
  OrderStatsSchema,
  type Profile,
  ProfileSchema,
} from "@switchyard/contracts/connect/switchyard/bff/web/v1/web_service_pb";
import type { Timestamp as GrpcTimestamp } from "@switchyard/contracts/grpc/google/protobuf/timestamp";
import {
  type CustomerOrderSummary,
  type Order,
  OrderStatus,
} from "@switchyard/contracts/grpc/switchyard/order/v1/order_service";
import { type User, UserStatus } from "@switchyard/contracts/grpc/switchyard/user/v1/user_service";
import { minorToMoney } from "@switchyard/money";

// Internal messages (ts-proto, grpc-js) become screen messages (protobuf-es): the screen gets
// words and Money, not enums and minor units.

const orderStatusWords: Record<OrderStatus, string> = {
  [OrderStatus.ORDER_STATUS_PENDING]: "pending",
  [OrderStatus.ORDER_STATUS_CONFIRMED]: "confirmed",
  [OrderStatus.ORDER_STATUS_SHIPPED]: "shipped",
  [OrderStatus.ORDER_STATUS_CANCELLED]: "cancelled",
  [OrderStatus.ORDER_STATUS_UNSPECIFIED]: "unknown",
  [OrderStatus.UNRECOGNIZED]: "unknown",
};

const openStatuses = new Set([
  OrderStatus.ORDER_STATUS_PENDING,
  OrderStatus.ORDER_STATUS_CONFIRMED,
]);

/** A user as the screen's profile card: one display name and a standing word. */
export function toProfile(user: User): Profile {
  return create(ProfileSchema, {
    customerId: user.userId,
    displayName: [user.givenName, user.familyName].filter((name) => name !== "").join(" "),
    email: user.email,
    standing: user.status === UserStatus.USER_STATUS_SUSPENDED ? "suspended" : "active",
  });
}

/** One row of the recent-orders list. */
export function toOrderRow(order: Order): OrderRow {
  return create(OrderRowSchema, {
    orderId: order.orderId,
    status: orderStatusWords[order.status],
    total: toMoney(order.currencyCode, order.totalMinor),
    itemCount: order.lines.reduce((count, line) => count + line.quantity, 0),
    createTime: toTimestamp(order.createTime),
  });
}

/** The order-statistics card; "open" means pending or confirmed. */
export function toOrderStats(summary: CustomerOrderSummary): OrderStats {
  const openOrderCount = summary.countByStatus
    .filter((entry) => openStatuses.has(entry.status))
    .reduce((sum, entry) => sum + entry.count, 0n);
  return create(OrderStatsSchema, {
    orderCount: summary.orderCount,
    openOrderCount,
    lifetimeTotals: summary.lifetimeTotals.map((total) =>
      toMoney(total.currencyCode, total.totalMinor),
    ),
    lastOrderTime: toTimestamp(summary.lastOrderTime),
  });
}

/** The order page's main section: every line priced as Money. */
export function toOrderDetail(order: Order): OrderDetail {
  return create(OrderDetailSchema, {
    orderId: order.orderId,
    status: orderStatusWords[order.status],
    items: order.lines.map((line) => ({
      sku: line.sku,
      quantity: line.quantity,
      unitPrice: toMoney(order.currencyCode, line.unitPriceMinor),
      lineTotal: toMoney(order.currencyCode, line.lineTotalMinor),
    })),
    total: toMoney(order.currencyCode, order.totalMinor),
    cancelReason: order.cancelReason,
    createTime: toTimestamp(order.createTime),
  });
}

function toMoney(currencyCode: string, minor: bigint): Money {
  return create(MoneySchema, minorToMoney(currencyCode, minor));
}

function toTimestamp(timestamp: GrpcTimestamp | undefined): Timestamp | undefined {
  return timestamp === undefined
    ? undefined
    : create(TimestampSchema, { seconds: timestamp.seconds, nanos: timestamp.nanos });
}
