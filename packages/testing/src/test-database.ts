import postgres from "postgres";
import { postgresAdminUrl } from "./postgres-admin-url.js";
import { uniqueName } from "./unique-name.js";

export interface TestDatabase {
  name: string;
  /** Superuser URL of this database. */
  url: string;
  adminUrl: string;
  /** Terminates its connections and drops it. */
  drop(): Promise<void>;
}

/** A fresh, uniquely named database on the test Postgres (see postgresAdminUrl). */
export async function createTestDatabase(options: { prefix?: string } = {}): Promise<TestDatabase> {
  const adminUrl = await postgresAdminUrl();
  // uniqueName yields [a-z0-9_] only, so quoting it is enough.
  const name = uniqueName(options.prefix ?? "t");
  await withAdminConnection(adminUrl, (sql) => sql.unsafe(`create database "${name}"`));
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    adminUrl,
    drop: () =>
      withAdminConnection(adminUrl, (sql) =>
        sql.unsafe(`drop database if exists "${name}" with (force)`),
      ),
  };
}

async function withAdminConnection(
  adminUrl: string,
  work: (sql: postgres.Sql) => Promise<unknown>,
): Promise<void> {
  const sql = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    await work(sql);
  } finally {
    await sql.end();
  }
}
