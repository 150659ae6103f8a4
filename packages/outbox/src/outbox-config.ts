import { z } from "zod";

/** The config keys of a service that runs an outbox relay (spread into its config shape). */
export const outboxConfigShape = {
  /** "poll": SKIP LOCKED batches woken by NOTIFY; "cdc": Postgres logical replication. */
  OUTBOX_RELAY_MODE: z.enum(["poll", "cdc"]).default("poll"),
  /** How long published rows stay for inspection before the retention sweep deletes them. */
  OUTBOX_PUBLISHED_RETENTION_HOURS: z.coerce.number().positive().default(168),
  /** How often the retention sweeps run (published outbox rows, expired idempotency keys). */
  RETENTION_SWEEP_INTERVAL_MS: z.coerce.number().int().positive().default(600_000),
};
