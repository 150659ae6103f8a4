import { drizzle, type PostgresJsDatabase } from "drizzle-orm/postgres-js";
import postgres from "postgres";

/** One service's connection pool: the raw postgres.js client and the drizzle wrapper over it. */
export interface Database {
  sql: postgres.Sql;
  db: PostgresJsDatabase;
  /** Resolves once Postgres answers `select 1`; a readiness check. */
  ping(): Promise<void>;
  /** Lets running queries finish (up to 5 s), then closes every connection. */
  close(): Promise<void>;
}

/** Opens a lazily connecting pool (`max` connections, default 10) to `url`. */
export function connectDatabase(options: { url: string; max?: number }): Database {
  // Notices ("relation already exists, skipping") are noise in service logs.
  const sql = postgres(options.url, { max: options.max ?? 10, onnotice: () => {} });
  return {
    sql,
    db: drizzle(sql),
    async ping() {
      await sql`select 1`;
    },
    async close() {
      await sql.end({ timeout: 5 });
    },
  };
}
