import type postgres from "postgres";

/** How many outbox rows are in each state, and since when the oldest pending one waits. */
export interface OutboxStatus {
  pending: number;
  published: number;
  deadLettered: number;
  /** Creation time of the oldest pending row (Postgres text), or null when none is pending. */
  oldestPending: string | null;
}

/** Counts the outbox's rows by state (what `npm run outbox -- status` prints). */
export async function outboxStatus(sql: postgres.Sql): Promise<OutboxStatus> {
  const [row] = await sql<OutboxStatus[]>`
    select count(*) filter (where published_time is null and dead_letter_time is null)::int as pending,
           count(*) filter (where published_time is not null)::int as published,
           count(*) filter (where dead_letter_time is not null)::int as "deadLettered",
           min(create_time) filter (where published_time is null and dead_letter_time is null)::text
             as "oldestPending"
    from outbox_messages`;
  return row ?? { pending: 0, published: 0, deadLettered: 0, oldestPending: null };
}
