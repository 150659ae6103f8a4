CREATE TABLE "customers" (
	"customer_id" uuid PRIMARY KEY NOT NULL,
	"display_name" text NOT NULL,
	"display_name_version" bigint NOT NULL,
	"standing" text NOT NULL,
	"standing_version" bigint NOT NULL,
	"source_version" bigint NOT NULL,
	CONSTRAINT "customers_standing_check" CHECK ("customers"."standing" in ('active', 'suspended'))
);
--> statement-breakpoint
CREATE TABLE "inbox_messages" (
	"consumer" text NOT NULL,
	"event_id" uuid NOT NULL,
	"process_time" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "inbox_messages_pkey" PRIMARY KEY("consumer","event_id")
);
--> statement-breakpoint
CREATE TABLE "order_summaries" (
	"customer_id" uuid PRIMARY KEY NOT NULL,
	"pending_count" bigint DEFAULT 0 NOT NULL,
	"confirmed_count" bigint DEFAULT 0 NOT NULL,
	"shipped_count" bigint DEFAULT 0 NOT NULL,
	"cancelled_count" bigint DEFAULT 0 NOT NULL,
	"last_order_id" uuid,
	"last_order_time" timestamp (3) with time zone
);
--> statement-breakpoint
CREATE TABLE "order_summary_totals" (
	"customer_id" uuid NOT NULL,
	"currency_code" char(3) NOT NULL,
	"order_count" bigint NOT NULL,
	"total_minor" bigint NOT NULL,
	CONSTRAINT "order_summary_totals_customer_id_currency_code_pk" PRIMARY KEY("customer_id","currency_code")
);
