import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { provisionServiceDatabase } from "@switchyard/database";
import postgres from "postgres";

/**
 * Gives a component its own database and role, and writes the role's connection URL to a file
 * the component reads through `DATABASE_URL_FILE` (the secret never travels in argv or env).
 * The password is generated once and kept in the state dir, so restarts reuse it.
 */
export async function provisionDatabaseSecret(options: {
  adminUrl: string;
  secretsDir: string;
  database: string;
  role: string;
  /** Also allow the role to stream logical replication (the outbox relay's CDC mode). */
  replication?: boolean;
}): Promise<string> {
  mkdirSync(options.secretsDir, { recursive: true, mode: 0o700 });
  const passwordFile = join(options.secretsDir, `${options.role}.password`);
  if (!existsSync(passwordFile)) {
    writeFileSync(passwordFile, randomBytes(24).toString("base64url"), { mode: 0o600 });
  }
  const password = readFileSync(passwordFile, "utf8").trim();
  const { url } = await provisionServiceDatabase(options.adminUrl, {
    database: options.database,
    role: options.role,
    password,
  });
  if (options.replication) await allowReplication(options.adminUrl, options.role);
  const urlFile = join(options.secretsDir, `${options.role}.database-url`);
  writeFileSync(urlFile, url, { mode: 0o600 });
  chmodSync(urlFile, 0o600);
  return urlFile;
}

async function allowReplication(adminUrl: string, role: string): Promise<void> {
  const sql = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    const [{ wal_level: walLevel } = { wal_level: "unknown" }] = await sql<
      { wal_level: string }[]
    >`show wal_level`;
    if (walLevel !== "logical") {
      throw new Error(
        `OUTBOX_RELAY_MODE=cdc needs wal_level=logical, this Postgres has ${walLevel}: ` +
          "unset DATABASE_ADMIN_URL to use the embedded Postgres, or run " +
          "ALTER SYSTEM SET wal_level = logical and restart that server",
      );
    }
    // The role name was validated by provisionServiceDatabase; format %I quotes it again.
    const [ddl] = await sql<{ statement: string }[]>`
      select format('alter role %I with replication', ${role}::text) as statement`;
    if (ddl) await sql.unsafe(ddl.statement);
  } finally {
    await sql.end({ timeout: 5 });
  }
}
