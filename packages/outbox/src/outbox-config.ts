import { z } from "zod";

/** The config key of a service that runs an outbox relay (spread into its config shape). */
export const outboxConfigShape = {
  /** "poll": SKIP LOCKED batches woken by NOTIFY; "cdc": Postgres logical replication. */
  OUTBOX_RELAY_MODE: z.enum(["poll", "cdc"]).default("poll"),
};
