import { sql } from "drizzle-orm";
import {
  bigint,
  char,
  check,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uuid,
} from "drizzle-orm/pg-core";

// Millisecond precision: a JS Date round-trips it exactly, which keyset page tokens rely on.
const timestampMs = (name: string) =>
  timestamp(name, { withTimezone: true, precision: 3, mode: "date" }).notNull().defaultNow();

export const orders = pgTable(
  "orders",
  {
    orderId: uuid("order_id").primaryKey(),
    customerId: uuid("customer_id").notNull(),
    status: text("status").notNull(),
    currencyCode: char("currency_code", { length: 3 }).notNull(),
    totalMinor: bigint("total_minor", { mode: "bigint" }).notNull(),
    cancelReason: text("cancel_reason"),
    version: bigint("version", { mode: "bigint" }).notNull().default(sql`1`),
    createTime: timestampMs("create_time"),
    updateTime: timestampMs("update_time"),
  },
  (table) => [
    check(
      "orders_status_check",
      sql`${table.status} in ('PENDING', 'CONFIRMED', 'SHIPPED', 'CANCELLED')`,
    ),
    check("orders_currency_code_check", sql`${table.currencyCode} ~ '^[A-Z]{3}$'`),
    check("orders_total_minor_check", sql`${table.totalMinor} >= 0`),
    // Serves ListOrders: one customer's orders, newest first, keyset-paged.
    index("orders_customer_id_create_time_order_id_idx").on(
      table.customerId,
      table.createTime.desc(),
      table.orderId.desc(),
    ),
  ],
);

export const orderLines = pgTable(
  "order_lines",
  {
    orderId: uuid("order_id")
      .notNull()
      .references(() => orders.orderId, { onDelete: "cascade" }),
    lineNo: integer("line_no").notNull(),
    sku: text("sku").notNull(),
    quantity: integer("quantity").notNull(),
    unitPriceMinor: bigint("unit_price_minor", { mode: "bigint" }).notNull(),
    lineTotalMinor: bigint("line_total_minor", { mode: "bigint" }).notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.orderId, table.lineNo] }),
    check("order_lines_quantity_check", sql`${table.quantity} > 0`),
    check("order_lines_unit_price_minor_check", sql`${table.unitPriceMinor} >= 0`),
    check(
      "order_lines_line_total_minor_check",
      sql`${table.lineTotalMinor} = ${table.quantity} * ${table.unitPriceMinor}`,
    ),
  ],
);

// Re-exported so drizzle-kit puts the idempotency table into this service's migrations: the
// key must be written in the same database and transaction as the order it protects.
export { idempotencyKeys } from "@switchyard/idempotency";
// The read side: event-fed projections (src/projections) and the inbox their consumers dedup
// with, written in the same transaction as each projection change.
export { inboxMessages } from "@switchyard/inbox";
// Likewise the outbox: order events are written in the same transaction as the order change.
export { outboxMessages } from "@switchyard/outbox";
export { customers, orderSummaries, orderSummaryTotals } from "../projections/projection-tables.js";
