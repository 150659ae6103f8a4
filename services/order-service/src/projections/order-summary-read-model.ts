import { and, asc, eq, gt } from "drizzle-orm";
import type { CustomerOrderSummary } from "../domain/customer-order-summary.js";
import type { SqlExecutor } from "../persistence/order-repository.js";
import { orderSummaries, orderSummaryTotals } from "./projection-tables.js";

/**
 * One customer's summary from the event-fed read model (two primary-key lookups, no
 * aggregation over orders). Eventually consistent: it reflects the order events consumed so
 * far. A customer without a row has zero counts and no totals.
 */
export async function readCustomerOrderSummary(
  db: SqlExecutor,
  customerId: string,
): Promise<CustomerOrderSummary> {
  const [[summary], totals] = await Promise.all([
    db.select().from(orderSummaries).where(eq(orderSummaries.customerId, customerId)),
    db
      .select({
        currencyCode: orderSummaryTotals.currencyCode,
        totalMinor: orderSummaryTotals.totalMinor,
      })
      .from(orderSummaryTotals)
      .where(
        and(eq(orderSummaryTotals.customerId, customerId), gt(orderSummaryTotals.orderCount, 0n)),
      )
      .orderBy(asc(orderSummaryTotals.currencyCode)),
  ]);
  const countByStatus = {
    PENDING: summary?.pendingCount ?? 0n,
    CONFIRMED: summary?.confirmedCount ?? 0n,
    SHIPPED: summary?.shippedCount ?? 0n,
    CANCELLED: summary?.cancelledCount ?? 0n,
  };
  return {
    customerId,
    orderCount: Object.values(countByStatus).reduce((sum, count) => sum + count, 0n),
    countByStatus,
    lifetimeTotals: totals,
    lastOrder:
      summary?.lastOrderId && summary.lastOrderTime
        ? { orderId: summary.lastOrderId, createTime: summary.lastOrderTime }
        : undefined,
  };
}
