import { sql } from "drizzle-orm";
import {
  bigint,
  char,
  check,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uuid,
} from "drizzle-orm/pg-core";

/**
 * The orders context's own view of its customers, fed by user-service's events through the
 * anti-corruption layer (customer-from-user-event.ts). Each aspect carries the user version
 * that last set it, because events of one user may be applied out of order (a redelivery after
 * a NAK): a suspension (v3) must survive a profile update (v4) that happened to arrive first.
 */
export const customers = pgTable(
  "customers",
  {
    customerId: uuid("customer_id").primaryKey(),
    displayName: text("display_name").notNull(),
    displayNameVersion: bigint("display_name_version", { mode: "bigint" }).notNull(),
    standing: text("standing").notNull(),
    standingVersion: bigint("standing_version", { mode: "bigint" }).notNull(),
    /** The highest user version reflected in this row. */
    sourceVersion: bigint("source_version", { mode: "bigint" }).notNull(),
  },
  (table) => [check("customers_standing_check", sql`${table.standing} in ('active', 'suspended')`)],
);

/**
 * The read model behind GetCustomerOrderSummary, one row per customer, maintained from
 * order-service's OWN order events (order-summary-projection.ts). Counts are increments, so
 * events applied in any order (each once, by the inbox) converge to the same row.
 */
export const orderSummaries = pgTable("order_summaries", {
  customerId: uuid("customer_id").primaryKey(),
  pendingCount: bigint("pending_count", { mode: "bigint" }).notNull().default(sql`0`),
  confirmedCount: bigint("confirmed_count", { mode: "bigint" }).notNull().default(sql`0`),
  shippedCount: bigint("shipped_count", { mode: "bigint" }).notNull().default(sql`0`),
  cancelledCount: bigint("cancelled_count", { mode: "bigint" }).notNull().default(sql`0`),
  lastOrderId: uuid("last_order_id"),
  lastOrderTime: timestamp("last_order_time", { withTimezone: true, precision: 3, mode: "date" }),
});

/** Per customer and currency: how many orders are not cancelled, and their lifetime total. */
export const orderSummaryTotals = pgTable(
  "order_summary_totals",
  {
    customerId: uuid("customer_id").notNull(),
    currencyCode: char("currency_code", { length: 3 }).notNull(),
    orderCount: bigint("order_count", { mode: "bigint" }).notNull(),
    totalMinor: bigint("total_minor", { mode: "bigint" }).notNull(),
  },
  (table) => [primaryKey({ columns: [table.customerId, table.currencyCode] })],
);
