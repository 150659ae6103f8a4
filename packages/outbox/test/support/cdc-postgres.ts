import { chmod, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { provisionServiceDatabase } from "@switchyard/database";
import { findFreePort, startEmbeddedPostgres } from "@switchyard/local-infra";
import { uniqueName } from "@switchyard/testing";
import { drizzle, type PostgresJsDatabase } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import { type CdcReplicationNames, outboxMessagesDdl } from "../../src/index.js";

/**
 * A Postgres of the test's own with `wal_level=logical` (the embedded server's default flags),
 * so CDC tests never depend on how the shared server is configured. Stopped and deleted by stop().
 */
export interface CdcPostgres {
  adminUrl: string;
  /**
   * A database owned by a service-like role: LOGIN + REPLICATION, not superuser
   * (`replicationRole: false` → a role without REPLICATION).
   */
  createDatabase(options?: { replicationRole?: boolean }): Promise<CdcDatabase>;
  /** Names of every replication slot on the server. */
  slotNames(): Promise<string[]>;
  stop(): Promise<void>;
}

export interface CdcDatabase {
  /** The service role's URL (what a service's relay gets as databaseUrl). */
  url: string;
  sql: postgres.Sql;
  db: PostgresJsDatabase;
  /** Unique publication and slot names for this database. */
  names: CdcReplicationNames;
  pendingCount(): Promise<number>;
  publicationNames(): Promise<string[]>;
  close(): Promise<void>;
}

/** Starts the embedded Postgres; `postgresFlags` replace the defaults (wal_level=logical). */
export async function startCdcPostgres(
  options: { postgresFlags?: readonly string[] } = {},
): Promise<CdcPostgres> {
  const directory = await mkdtemp(join(tmpdir(), "switchyard-cdc-test-"));
  // As root, Postgres runs as the `postgres` user, which must be able to enter the directory.
  await chmod(directory, 0o755);
  const server = await startEmbeddedPostgres({
    dataDir: join(directory, "data"),
    port: await findFreePort(),
    persistent: false,
    ...(options.postgresFlags ? { postgresFlags: options.postgresFlags } : {}),
  });
  const admin = postgres(server.adminUrl, { max: 2, onnotice: () => {} });
  const role = uniqueName("outbox_role");
  const plainRole = uniqueName("outbox_plain_role");
  await admin.unsafe(`create role "${role}" with login replication password 'secret'`);
  await admin.unsafe(`create role "${plainRole}" with login password 'secret'`);
  const opened: CdcDatabase[] = [];

  return {
    adminUrl: server.adminUrl,
    async createDatabase(databaseOptions = {}) {
      const name = uniqueName("cdc");
      const { url } = await provisionServiceDatabase(server.adminUrl, {
        database: name,
        role: (databaseOptions.replicationRole ?? true) ? role : plainRole,
        password: "secret",
      });
      const sql = postgres(url, { max: 10, onnotice: () => {} });
      for (const statement of outboxMessagesDdl.split("--> statement-breakpoint")) {
        await sql.unsafe(statement);
      }
      const database: CdcDatabase = {
        url,
        sql,
        db: drizzle(sql),
        names: { publication: `${name}_outbox`, slot: `${name}_outbox_relay` },
        async pendingCount() {
          const [row] = await sql<{ count: number }[]>`
            select count(*)::int as count from outbox_messages
            where published_time is null and dead_letter_time is null`;
          return row?.count ?? 0;
        },
        async publicationNames() {
          const rows = await sql<{ pubname: string }[]>`select pubname from pg_publication`;
          return rows.map((row) => row.pubname);
        },
        close: () => sql.end({ timeout: 5 }),
      };
      opened.push(database);
      return database;
    },
    async slotNames() {
      const rows = await admin<{ slot_name: string }[]>`select slot_name from pg_replication_slots`;
      return rows.map((row) => row.slot_name);
    },
    async stop() {
      await Promise.all(opened.map((database) => database.close().catch(() => {})));
      await admin.end({ timeout: 5 });
      await server.stop();
      await rm(directory, { recursive: true, force: true });
    },
  };
}
