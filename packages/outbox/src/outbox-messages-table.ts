import { sql } from "drizzle-orm";
import { customType, index, integer, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";

const bytea = customType<{ data: Uint8Array; driverData: Buffer }>({
  dataType: () => "bytea",
  toDriver: (value) => Buffer.from(value.buffer, value.byteOffset, value.byteLength),
  fromDriver: (value) => new Uint8Array(value),
});

const timestampMs = (name: string) =>
  timestamp(name, { withTimezone: true, precision: 3, mode: "date" });

/** The channel `appendToOutbox` notifies on commit, so a waiting relay wakes at once. */
export const outboxChannel = "outbox_messages";

/**
 * Events waiting to be published, written in the same transaction as the state change that
 * caused them. Each producing service re-exports this from its drizzle schema so its
 * migrations create the table. A row is pending while `published_time` and
 * `dead_letter_time` are both null.
 */
export const outboxMessages = pgTable(
  "outbox_messages",
  {
    eventId: uuid("event_id").primaryKey(),
    /** Un-namespaced NATS subject; the relay applies its namespace. */
    subject: text("subject").notNull(),
    /** Fully-qualified proto message name (ce-type). */
    eventType: text("event_type").notNull(),
    aggregateId: text("aggregate_id").notNull(),
    payload: bytea("payload").notNull(),
    traceparent: text("traceparent"),
    occurTime: timestampMs("occur_time").notNull(),
    createTime: timestampMs("create_time").notNull().defaultNow(),
    publishedTime: timestampMs("published_time"),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptTime: timestampMs("next_attempt_time").notNull().defaultNow(),
    lastError: text("last_error"),
    deadLetterTime: timestampMs("dead_letter_time"),
  },
  (table) => [
    // Only pending rows are indexed, so the relay's claim query stays fast however many
    // published rows the table keeps.
    index("outbox_messages_pending_idx")
      .on(table.nextAttemptTime)
      .where(sql`${table.publishedTime} is null and ${table.deadLetterTime} is null`),
  ],
);

/** One outbox row as the relay reads it. */
export type OutboxRow = typeof outboxMessages.$inferSelect;

/**
 * The same table as plain DDL (what drizzle-kit generates), for tests, benchmarks and tools
 * that create it without a service's migrations. Statements are separated by drizzle-kit's
 * `--> statement-breakpoint` marker.
 */
export const outboxMessagesDdl = `CREATE TABLE IF NOT EXISTS "outbox_messages" (
	"event_id" uuid PRIMARY KEY NOT NULL,
	"subject" text NOT NULL,
	"event_type" text NOT NULL,
	"aggregate_id" text NOT NULL,
	"payload" bytea NOT NULL,
	"traceparent" text,
	"occur_time" timestamp (3) with time zone NOT NULL,
	"create_time" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"published_time" timestamp (3) with time zone,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_time" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"last_error" text,
	"dead_letter_time" timestamp (3) with time zone
);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "outbox_messages_pending_idx" ON "outbox_messages" USING btree ("next_attempt_time") WHERE "outbox_messages"."published_time" is null and "outbox_messages"."dead_letter_time" is null;
`;
