import type { Logger } from "@switchyard/logging";
import type postgres from "postgres";
import { errorMessage } from "./error-message.js";
import type { PublishableOutboxRow } from "./outbox-publisher.js";
import { countOutboxDeadLetter } from "./outbox-telemetry.js";
import { type RetryPolicy, retryDelayMs } from "./retry-backoff.js";

/** What became of a row whose publish failed while the broker answered. */
export interface PublishFailureOutcome {
  /** No further attempt: dead-lettered now, or already published/dead-lettered elsewhere. */
  settled: boolean;
  /** Delay before the next attempt when not settled. */
  retryInMs: number;
}

/**
 * Counts a failed publish against the row, in `tx` (a transaction the caller runs): records the
 * error and the next attempt time, and dead-letters the row at `maxAttempts`. Both relay modes
 * (polling and CDC) record failures here, so `list-dead` and redrive work the same in both.
 */
export async function recordPublishFailure(
  tx: postgres.TransactionSql,
  row: Pick<PublishableOutboxRow, "eventId" | "eventType">,
  error: unknown,
  retry: RetryPolicy,
  logger: Logger,
): Promise<PublishFailureOutcome> {
  const [current] = await tx<{ attempts: number; settled: boolean }[]>`
    select attempts, (published_time is not null or dead_letter_time is not null) as settled
    from outbox_messages where event_id = ${row.eventId}
    for update`;
  // Not visible yet: the change stream can deliver a commit a moment before other sessions
  // see it. Retry without counting.
  if (!current) return { settled: false, retryInMs: retry.baseDelayMs };
  if (current.settled) return { settled: true, retryInMs: 0 };
  const attempts = current.attempts + 1;
  const message = errorMessage(error);
  const deadLetter = attempts >= retry.maxAttempts;
  const retryInMs = deadLetter ? 0 : retryDelayMs(retry, attempts);
  await tx`update outbox_messages
           set attempts = ${attempts},
               last_error = ${message},
               next_attempt_time = now() + ${retryInMs} * interval '1 millisecond',
               dead_letter_time = ${deadLetter ? tx`now()` : null}
           where event_id = ${row.eventId}`;
  const fields = { eventId: row.eventId, eventType: row.eventType, attempts, error: message };
  if (deadLetter) {
    countOutboxDeadLetter(row.eventType);
    logger.error(fields, "outbox event dead-lettered; redrive with `npm run outbox -- redrive`");
  } else {
    logger.warn({ ...fields, retryInMs }, "outbox publish failed; will retry");
  }
  return { settled: deadLetter, retryInMs };
}
