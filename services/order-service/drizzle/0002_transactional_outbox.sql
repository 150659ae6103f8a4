CREATE TABLE "outbox_messages" (
	"event_id" uuid PRIMARY KEY NOT NULL,
	"subject" text NOT NULL,
	"event_type" text NOT NULL,
	"aggregate_id" text NOT NULL,
	"payload" "bytea" NOT NULL,
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
CREATE INDEX "outbox_messages_pending_idx" ON "outbox_messages" USING btree ("next_attempt_time") WHERE "outbox_messages"."published_time" is null and "outbox_messages"."dead_letter_time" is null;