import { customType, index, pgTable, primaryKey, text, timestamp } from "drizzle-orm/pg-core";

const bytea = customType<{ data: Uint8Array; driverData: Buffer }>({
  dataType: () => "bytea",
  toDriver: (value) => Buffer.from(value.buffer, value.byteOffset, value.byteLength),
  fromDriver: (value) => new Uint8Array(value),
});

/**
 * One row per (caller, operation, key): the command's request fingerprint and its encoded
 * response. The primary key is what makes duplicates wait and replay instead of re-executing.
 * Each service re-exports this from its drizzle schema so its migrations create the table.
 */
export const idempotencyKeys = pgTable(
  "idempotency_keys",
  {
    caller: text("caller").notNull(),
    operation: text("operation").notNull(),
    key: text("key").notNull(),
    requestHash: text("request_hash").notNull(),
    // Null only inside the first attempt's transaction: it is written before that commits.
    response: bytea("response"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
  },
  (table) => [
    primaryKey({
      name: "idempotency_keys_pkey",
      columns: [table.caller, table.operation, table.key],
    }),
    index("idempotency_keys_expires_at_idx").on(table.expiresAt),
  ],
);

/**
 * The same table as plain DDL, for tests and tools that create it without drizzle-kit.
 * Statements are separated by drizzle-kit's `--> statement-breakpoint` marker.
 */
export const idempotencyKeysDdl = `CREATE TABLE IF NOT EXISTS "idempotency_keys" (
	"caller" text NOT NULL,
	"operation" text NOT NULL,
	"key" text NOT NULL,
	"request_hash" text NOT NULL,
	"response" bytea,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	CONSTRAINT "idempotency_keys_pkey" PRIMARY KEY("caller","operation","key")
);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "idempotency_keys_expires_at_idx" ON "idempotency_keys" USING btree ("expires_at");
`;
