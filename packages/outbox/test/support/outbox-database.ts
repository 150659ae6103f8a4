import { createTestDatabase } from "@switchyard/testing";
import { drizzle, type PostgresJsDatabase } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import { outboxMessagesDdl } from "../../src/index.js";

export interface OutboxDatabase {
  url: string;
  sql: postgres.Sql;
  db: PostgresJsDatabase;
  /** Pending (unpublished, not dead-lettered) rows. */
  pendingCount(): Promise<number>;
  drop(): Promise<void>;
}

/** A fresh database holding only the outbox table, as a producing service's migrations make it. */
export async function createOutboxDatabase(): Promise<OutboxDatabase> {
  const database = await createTestDatabase({ prefix: "outbox" });
  const sql = postgres(database.url, { max: 10, onnotice: () => {} });
  for (const statement of outboxMessagesDdl.split("--> statement-breakpoint")) {
    await sql.unsafe(statement);
  }
  return {
    url: database.url,
    sql,
    db: drizzle(sql),
    async pendingCount() {
      const [row] = await sql<{ count: number }[]>`
        select count(*)::int as count from outbox_messages
        where published_time is null and dead_letter_time is null`;
      return row?.count ?? 0;
    },
    async drop() {
      await sql.end({ timeout: 5 });
      await database.drop();
    },
  };
}
