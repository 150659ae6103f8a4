import type { OrderStatus } from "./order.js";

/** One customer's orders at a glance (counts, lifetime totals, latest order). */
export interface CustomerOrderSummary {
  customerId: string;
  orderCount: bigint;
  countByStatus: Partial<Record<OrderStatus, bigint>>;
  /** Per currency, orders that were not cancelled, in minor units. */
  lifetimeTotals: { currencyCode: string; totalMinor: bigint }[];
  lastOrder: { orderId: string; createTime: Date } | undefined;
}
