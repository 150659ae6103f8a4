import type postgres from "postgres";

/**
 * Resolves once the producer's outbox has no pending row (every event published or
 * dead-lettered); rejects after `timeoutMs` with the count still pending.
 */
export async function waitForOutboxDrained(
  sql: postgres.Sql,
  options: { timeoutMs: number },
): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    const [row] = await sql<{ pending: number }[]>`
      select count(*)::int as "pending" from outbox_messages
       where published_time is null and dead_letter_time is null`;
    if ((row?.pending ?? 0) === 0) return;
    if (Date.now() > deadline) {
      throw new Error(
        `${row?.pending} outbox rows still unpublished after ${options.timeoutMs} ms`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
