import type { Logger } from "@switchyard/logging";
import type postgres from "postgres";
import type { InterruptibleSleep } from "./interruptible-sleep.js";

const chunkSize = 5_000;
const visibilityDeadlineMs = 10_000;

/**
 * Marks rows the CDC relay published. A commit reaches the WAL (and the change stream) a moment
 * before other sessions can see it, so an UPDATE may miss a row just received: such rows are
 * retried until visible. After 10 s a row is left to the catch-up sweep (it republishes;
 * JetStream drops the copy). A dead-lettered row that a replay managed to publish is no longer
 * dead.
 */
export async function markCdcRowsPublished(
  ids: readonly string[],
  options: {
    sql: postgres.Sql;
    logger: Logger;
    sleep: InterruptibleSleep;
    sessionEnded(): boolean;
  },
): Promise<void> {
  const { sql } = options;
  let remaining = ids;
  const deadline = Date.now() + visibilityDeadlineMs;
  while (remaining.length > 0 && !options.sessionEnded()) {
    const marked = new Set<string>();
    for (let start = 0; start < remaining.length; start += chunkSize) {
      const chunk = remaining.slice(start, start + chunkSize);
      const rows = await sql<{ eventId: string }[]>`
        update outbox_messages
        set published_time = coalesce(published_time, now()), dead_letter_time = null
        where event_id = any(${sql.array(chunk)}::uuid[])
        returning event_id as "eventId"`;
      for (const row of rows) marked.add(row.eventId);
    }
    remaining = remaining.filter((id) => !marked.has(id));
    if (remaining.length === 0) return;
    if (Date.now() > deadline) {
      options.logger.warn(
        { eventIds: remaining.slice(0, 10), count: remaining.length },
        "outbox CDC relay: published rows not visible to mark; the catch-up sweep will",
      );
      return;
    }
    await options.sleep.sleep(5);
  }
}
