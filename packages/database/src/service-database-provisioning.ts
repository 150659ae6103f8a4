import postgres from "postgres";
import { quoteIdentifier } from "./sql-identifier.js";

const duplicateObject = "42710";
const duplicateDatabase = "42P04";

function isPostgresError(error: unknown, code: string): boolean {
  return error instanceof postgres.PostgresError && error.code === code;
}

function urlFor(adminUrl: string, role: string, password: string, database: string): string {
  const url = new URL(adminUrl);
  url.username = role;
  url.password = encodeURIComponent(password);
  url.pathname = `/${database}`;
  return url.toString();
}

async function withAdmin<T>(url: string, fn: (sql: postgres.Sql) => Promise<T>): Promise<T> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    return await fn(sql);
  } finally {
    await sql.end({ timeout: 5 });
  }
}

/**
 * Gives a service its own login role and a database owned by that role, which no other role
 * may connect to. Idempotent: an existing role gets the new password, an existing database is
 * (re)assigned to the role. Returns the role's connection URL (same host and port as adminUrl).
 */
export async function provisionServiceDatabase(
  adminUrl: string,
  options: { database: string; role: string; password: string },
): Promise<{ url: string }> {
  const database = quoteIdentifier(options.database, "database");
  const role = quoteIdentifier(options.role, "role");
  if (options.password.length === 0) throw new Error(`empty password for role ${role}`);

  await withAdmin(adminUrl, async (sql) => {
    // DDL takes no bind parameters: Postgres itself quotes the password literal (format %L).
    const [ddl] = await sql<{ create_role: string; alter_role: string }[]>`
      select format('create role %I with login password %L', ${options.role}::text, ${options.password}::text) as create_role,
             format('alter role %I with login password %L', ${options.role}::text, ${options.password}::text) as alter_role`;
    if (ddl === undefined) throw new Error("format() returned no row");
    try {
      await sql.unsafe(ddl.create_role);
    } catch (error) {
      if (!isPostgresError(error, duplicateObject)) throw error;
      await sql.unsafe(ddl.alter_role);
    }

    const [existing] = await sql`select 1 from pg_database where datname = ${options.database}`;
    if (existing === undefined) {
      try {
        await sql.unsafe(`create database ${database} owner ${role}`);
      } catch (error) {
        if (!isPostgresError(error, duplicateDatabase)) throw error;
      }
    }
    await sql.unsafe(`alter database ${database} owner to ${role}`);
    await sql.unsafe(`revoke connect on database ${database} from public`);
    await sql.unsafe(`grant connect on database ${database} to ${role}`);
  });

  const adminInDatabase = new URL(adminUrl);
  adminInDatabase.pathname = `/${options.database}`;
  await withAdmin(adminInDatabase.toString(), async (sql) => {
    // Before Postgres 15, PUBLIC could create in schema public; the role owns it instead.
    await sql.unsafe(`revoke all on schema public from public`);
    await sql.unsafe(`alter schema public owner to ${role}`);
  });

  return { url: urlFor(adminUrl, options.role, options.password, options.database) };
}

/** Drops a service's database (disconnecting its sessions) and then its role, if they exist. */
export async function dropServiceDatabase(
  adminUrl: string,
  options: { database: string; role: string },
): Promise<void> {
  const database = quoteIdentifier(options.database, "database");
  const role = quoteIdentifier(options.role, "role");
  await withAdmin(adminUrl, async (sql) => {
    await sql.unsafe(`drop database if exists ${database} with (force)`);
    await sql.unsafe(`drop role if exists ${role}`);
  });
}
