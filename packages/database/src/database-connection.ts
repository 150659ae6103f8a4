import { drizzle, type PostgresJsDatabase } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import { createDatabaseTelemetry } from "./database-telemetry.js";
import { instrumentSql } from "./instrumented-sql.js";

/**
 * One service's connection pool: the postgres.js client and the drizzle wrapper over it. Both
 * are instrumented (see instrumented-sql.ts): spans per query and transaction under an active
 * span, `db.client.*` metrics always.
 */
export interface Database {
  sql: postgres.Sql;
  db: PostgresJsDatabase;
  /** Resolves once Postgres answers `select 1`; a readiness check. */
  ping(): Promise<void>;
  /** Lets running queries finish (up to 5 s), then closes every connection. */
  close(): Promise<void>;
}

/**
 * Opens a lazily connecting pool (`max` connections, default 10) to `url`. A connection attempt
 * gives up after `connectTimeoutSeconds` (default 2; postgres.js waits 30): while the database
 * is down a call fails fast with a connection error — UNAVAILABLE at the edge — instead of
 * holding its caller until the deadline, and the first call after it is back succeeds.
 */
export function connectDatabase(options: {
  url: string;
  max?: number;
  connectTimeoutSeconds?: number;
}): Database {
  const max = options.max ?? 10;
  const client = postgres(options.url, {
    max,
    connect_timeout: options.connectTimeoutSeconds ?? 2,
    // postgres.js waits up to 20 s (growing backoff) before a failed connection tries again,
    // and queries queue for it meanwhile: with the database down, calls then hang until their
    // deadline instead of failing (postgres-down drill). Reconnecting on demand keeps every
    // query bounded by the connect timeout and picks the database up the moment it is back.
    backoff: () => 0,
    // Notices ("relation already exists, skipping") are noise in service logs.
    onnotice: () => {},
  });
  const telemetry = createDatabaseTelemetry({
    database: client.options.database,
    host: client.options.host[0] ?? "localhost",
    port: client.options.port[0] ?? 5432,
    maxConnections: max,
  });
  const sql = instrumentSql(client, telemetry);
  return {
    sql,
    db: drizzle(sql),
    async ping() {
      await sql`select 1`;
    },
    async close() {
      telemetry.stop();
      await sql.end({ timeout: 5 });
    },
  };
}
