import type postgres from "postgres";

/** Every projection row and inbox entry, in a stable order, for row-for-row comparisons. */
export async function snapshotProjections(sql: postgres.Sql) {
  const [customers, orderSummaries, orderSummaryTotals, inbox] = await Promise.all([
    sql`select * from customers order by customer_id`,
    sql`select * from order_summaries order by customer_id`,
    sql`select * from order_summary_totals order by customer_id, currency_code`,
    sql`select consumer, event_id from inbox_messages order by consumer, event_id`,
  ]);
  return {
    customers: [...customers],
    orderSummaries: [...orderSummaries],
    orderSummaryTotals: [...orderSummaryTotals],
    inbox: [...inbox],
  };
}
