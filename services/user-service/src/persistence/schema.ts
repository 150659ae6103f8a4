import { sql } from "drizzle-orm";
import { bigint, check, index, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";

// Part of this service's schema so drizzle-kit puts the table into this service's migrations.
export { idempotencyKeys } from "@switchyard/idempotency";
// Likewise the outbox: events are written in the same transaction as the user change.
export { outboxMessages } from "@switchyard/outbox";

export const users = pgTable(
  "users",
  {
    userId: uuid("user_id").primaryKey(),
    email: text("email").notNull().unique("users_email_unique"),
    givenName: text("given_name").notNull(),
    familyName: text("family_name").notNull(),
    status: text("status", { enum: ["active", "suspended"] }).notNull(),
    suspendReason: text("suspend_reason"),
    version: bigint("version", { mode: "bigint" }).notNull(),
    // Millisecond precision, like JavaScript's Date: page-token cursors then round-trip exactly.
    createTime: timestamp("create_time", { withTimezone: true, precision: 3 }).notNull(),
    updateTime: timestamp("update_time", { withTimezone: true, precision: 3 }).notNull(),
  },
  (table) => [
    check("users_status_check", sql`${table.status} in ('active', 'suspended')`),
    check("users_version_check", sql`${table.version} >= 1`),
    // Serves ListUsers' keyset order.
    index("users_create_time_user_id_idx").on(table.createTime, table.userId),
  ],
);
