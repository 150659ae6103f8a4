import { and, desc, eq, ne, sql } from "drizzle-orm";
import type { CustomerOrderSummary } from "../domain/customer-order-summary.js";
import type { OrderStatus } from "../domain/order.js";
import type { SqlExecutor } from "./order-repository.js";
import { orders } from "./schema.js";

/** Summarizes one customer's orders with aggregate queries over the orders table. */
export async function queryCustomerOrderSummary(
  db: SqlExecutor,
  customerId: string,
): Promise<CustomerOrderSummary> {
  const [byStatus, totals, last] = await Promise.all([
    db
      .select({ status: orders.status, count: sql<string>`count(*)` })
      .from(orders)
      .where(eq(orders.customerId, customerId))
      .groupBy(orders.status),
    db
      .select({ currencyCode: orders.currencyCode, total: sql<string>`sum(${orders.totalMinor})` })
      .from(orders)
      .where(and(eq(orders.customerId, customerId), ne(orders.status, "CANCELLED")))
      .groupBy(orders.currencyCode)
      .orderBy(orders.currencyCode),
    db
      .select({ orderId: orders.orderId, createTime: orders.createTime })
      .from(orders)
      .where(eq(orders.customerId, customerId))
      .orderBy(desc(orders.createTime), desc(orders.orderId))
      .limit(1),
  ]);
  const countByStatus: Partial<Record<OrderStatus, bigint>> = {};
  for (const row of byStatus) countByStatus[row.status as OrderStatus] = BigInt(row.count);
  return {
    customerId,
    orderCount: Object.values(countByStatus).reduce((sum, count) => sum + count, 0n),
    countByStatus,
    lifetimeTotals: totals.map((row) => ({
      currencyCode: row.currencyCode,
      totalMinor: BigInt(row.total),
    })),
    lastOrder: last[0],
  };
}
