import { pgTable, primaryKey, text, timestamp, uuid } from "drizzle-orm/pg-core";

/**
 * One row per (consumer, event id) an event consumer has applied. Inserted with
 * `ON CONFLICT DO NOTHING` in the same transaction as the handler's effect: a redelivered or
 * republished event finds its row and is skipped, so effects happen once by constraint, not by
 * "check, then write". Each consuming service re-exports this from its drizzle schema so its
 * migrations create the table in its own database.
 */
export const inboxMessages = pgTable(
  "inbox_messages",
  {
    consumer: text("consumer").notNull(),
    eventId: uuid("event_id").notNull(),
    processTime: timestamp("process_time", { withTimezone: true, precision: 3 })
      .notNull()
      .defaultNow(),
  },
  (table) => [
    primaryKey({ name: "inbox_messages_pkey", columns: [table.consumer, table.eventId] }),
  ],
);

/**
 * The same table as plain DDL, for tests and tools that create it without drizzle-kit.
 * Statements are separated by drizzle-kit's `--> statement-breakpoint` marker.
 */
export const inboxMessagesDdl = `CREATE TABLE IF NOT EXISTS "inbox_messages" (
	"consumer" text NOT NULL,
	"event_id" uuid NOT NULL,
	"process_time" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "inbox_messages_pkey" PRIMARY KEY("consumer","event_id")
);
`;
