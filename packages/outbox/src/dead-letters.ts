import type postgres from "postgres";
import { outboxChannel } from "./outbox-messages-table.js";

/** A dead-lettered outbox row, as `list-dead` shows it. */
export interface DeadLetter {
  eventId: string;
  eventType: string;
  aggregateId: string;
  attempts: number;
  lastError: string | null;
  createTime: Date;
  deadLetterTime: Date;
}

/** Dead-lettered rows, oldest first. */
export async function listDeadLetters(
  sql: postgres.Sql,
  options: { limit?: number } = {},
): Promise<DeadLetter[]> {
  // Epoch milliseconds: a client shared with drizzle parses timestamptz to strings.
  const rows = await sql<
    (Omit<DeadLetter, "createTime" | "deadLetterTime"> & { createMs: number; deadMs: number })[]
  >`
    select event_id as "eventId", event_type as "eventType", aggregate_id as "aggregateId",
           attempts, last_error as "lastError",
           (extract(epoch from create_time) * 1000)::float8 as "createMs",
           (extract(epoch from dead_letter_time) * 1000)::float8 as "deadMs"
    from outbox_messages
    where dead_letter_time is not null
    order by dead_letter_time, create_time
    limit ${options.limit ?? 100}`;
  return rows.map(({ createMs, deadMs, ...row }) => ({
    ...row,
    createTime: new Date(createMs),
    deadLetterTime: new Date(deadMs),
  }));
}

/**
 * Puts dead-lettered rows (all, or the given event ids) back in the relay's queue with a fresh
 * set of attempts, and wakes the relay. Returns how many rows were redriven. The last error is
 * kept until the next attempt overwrites it.
 */
export async function redriveDeadLetters(
  sql: postgres.Sql,
  options: { eventIds?: string[] } = {},
): Promise<number> {
  const ids = options.eventIds;
  if (ids !== undefined && ids.length === 0) return 0;
  return sql.begin(async (tx) => {
    const rows = await tx`
      update outbox_messages
      set dead_letter_time = null, attempts = 0, next_attempt_time = now()
      where dead_letter_time is not null
        ${ids === undefined ? tx`` : tx`and event_id in ${tx(ids)}`}
      returning event_id`;
    if (rows.count > 0) await tx`select pg_notify(${outboxChannel}, '')`;
    return rows.count;
  });
}

/** Deletes rows published longer than `olderThanMs` ago; returns how many. */
export async function purgePublishedOutboxMessages(
  sql: postgres.Sql,
  options: { olderThanMs: number },
): Promise<number> {
  const rows = await sql`
    delete from outbox_messages
    where published_time < now() - ${options.olderThanMs}::float8 * interval '1 millisecond'`;
  return rows.count;
}
