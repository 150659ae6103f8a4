import type { Logger } from "@switchyard/logging";
import type postgres from "postgres";
import { purgePublishedOutboxMessages } from "./dead-letters.js";
import { errorMessage } from "./error-message.js";
import { createInterruptibleSleep } from "./interruptible-sleep.js";

/** A running retention sweep. */
export interface PublishedOutboxPurge {
  /** Ends the wait, lets a purge in progress finish, then resolves. */
  stop(): Promise<void>;
}

/**
 * Deletes published outbox rows older than `retentionMs` now and then every `intervalMs`, so
 * the table holds the recent past for inspection and no more. Pending and dead-lettered rows
 * are never touched. A failed purge is logged and tried again at the next interval.
 */
export function startPublishedOutboxPurge(options: {
  sql: postgres.Sql;
  retentionMs: number;
  intervalMs: number;
  logger: Logger;
}): PublishedOutboxPurge {
  const { logger } = options;
  const sleep = createInterruptibleSleep();
  let running = true;
  const loop = (async () => {
    while (running) {
      try {
        const purged = await purgePublishedOutboxMessages(options.sql, {
          olderThanMs: options.retentionMs,
        });
        if (purged > 0) logger.info({ purged }, "outbox: purged published rows past retention");
      } catch (error) {
        logger.warn({ error: errorMessage(error) }, "outbox: purging published rows failed");
      }
      await sleep.sleep(options.intervalMs);
    }
  })();
  return {
    async stop() {
      running = false;
      sleep.close();
      await loop;
    },
  };
}
