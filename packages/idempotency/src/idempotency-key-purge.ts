import { setInterval as every } from "node:timers/promises";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import type { TablesRelationalConfig } from "drizzle-orm/relations";
import { purgeExpiredIdempotencyKeys } from "./run-idempotent.js";

/** The part of a pino logger the purge writes to (any `@switchyard/logging` Logger fits). */
export interface PurgeLogger {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
}

/** A running idempotency-key purge. */
export interface IdempotencyKeyPurge {
  /** Stops the schedule; a purge in progress finishes first. */
  stop(): Promise<void>;
}

/**
 * Deletes expired idempotency keys now and then every `intervalMs` (RETENTION_SWEEP_INTERVAL_MS
 * in the services), so the table holds only keys that can still be replayed. A failed purge is
 * logged and tried again at the next interval.
 */
export function startIdempotencyKeyPurge<
  TQueryResult extends PgQueryResultHKT,
  TFullSchema extends Record<string, unknown>,
  TSchema extends TablesRelationalConfig,
>(options: {
  db: PgDatabase<TQueryResult, TFullSchema, TSchema>;
  intervalMs: number;
  logger: PurgeLogger;
}): IdempotencyKeyPurge {
  const { logger } = options;
  const stopping = new AbortController();

  async function purgeOnce(): Promise<void> {
    try {
      const purged = await purgeExpiredIdempotencyKeys(options.db);
      if (purged > 0) logger.info({ purged }, "idempotency: purged expired keys");
    } catch (error) {
      logger.warn({ error: String(error) }, "idempotency: purging expired keys failed");
    }
  }

  const loop = (async () => {
    await purgeOnce();
    try {
      for await (const _ of every(options.intervalMs, undefined, { signal: stopping.signal })) {
        await purgeOnce();
      }
    } catch (error) {
      if (!stopping.signal.aborted) throw error;
    }
  })();
  return {
    async stop() {
      stopping.abort();
      await loop;
    },
  };
}
