/**
 * `npm run outbox -- <command> --service <name>`: inspect and repair a service's outbox.
 *
 *   status     pending, published, dead-lettered rows and the oldest pending one
 *   list-dead  dead-lettered rows with their last error
 *   redrive    put dead letters back in the relay's queue (all, or each --event-id)
 *
 * The database is `--database-url`, else DATABASE_URL, else the URL the devstack wrote for the
 * service's role: `<state dir>/secrets/<prefix>_<service>.database-url` (state dir `.devstack`
 * or DEVSTACK_DIR, prefix `switchyard` or DEVSTACK_NAME_PREFIX).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import postgres from "postgres";
import { listDeadLetters, redriveDeadLetters } from "./dead-letters.js";

const usage = `usage: npm run outbox -- status|list-dead|redrive --service <user-service|order-service>
       [--database-url <url>] [--event-id <uuid> ...] [--limit <n>]`;

const repositoryRoot = fileURLToPath(new URL("../../..", import.meta.url));

function fail(message: string, code = 64): never {
  console.error(message);
  process.exit(code);
}

function databaseUrl(service: string | undefined, explicit: string | undefined): string {
  if (explicit) return explicit;
  if (process.env.DATABASE_URL) return process.env.DATABASE_URL;
  if (!service) fail(`--service or --database-url is required\n${usage}`);
  const stateDir = process.env.DEVSTACK_DIR || join(repositoryRoot, ".devstack");
  const prefix = process.env.DEVSTACK_NAME_PREFIX || "switchyard";
  const file = join(stateDir, "secrets", `${prefix}_${service.replaceAll("-", "_")}.database-url`);
  try {
    return readFileSync(file, "utf8").trim();
  } catch {
    return fail(
      `no database URL for ${service}: ${file} is missing (is \`npm start\` running?); pass --database-url`,
      69,
    );
  }
}

const { positionals, values } = (() => {
  try {
    return parseArgs({
      allowPositionals: true,
      options: {
        service: { type: "string" },
        "database-url": { type: "string" },
        "event-id": { type: "string", multiple: true },
        limit: { type: "string", default: "100" },
      },
    });
  } catch (error) {
    return fail(`${(error as Error).message}\n${usage}`);
  }
})();
const [command] = positionals;
if (command !== "status" && command !== "list-dead" && command !== "redrive") fail(usage);

const sql = postgres(databaseUrl(values.service, values["database-url"]), {
  max: 1,
  onnotice: () => {},
});
try {
  if (command === "status") {
    const [row] = await sql`
      select count(*) filter (where published_time is null and dead_letter_time is null)::int as pending,
             count(*) filter (where published_time is not null)::int as published,
             count(*) filter (where dead_letter_time is not null)::int as dead_lettered,
             min(create_time) filter (where published_time is null and dead_letter_time is null)::text
               as oldest_pending
      from outbox_messages`;
    console.table([row]);
  } else if (command === "list-dead") {
    const rows = await listDeadLetters(sql, { limit: Number(values.limit) });
    if (rows.length === 0) console.log("no dead letters");
    else console.table(rows.map((row) => ({ ...row, lastError: row.lastError?.slice(0, 80) })));
  } else {
    const eventIds = values["event-id"];
    const count = await redriveDeadLetters(sql, eventIds ? { eventIds } : {});
    console.log(`redriven: ${count} event(s); the relay publishes them within a second`);
  }
} catch (error) {
  // 42P01: undefined table — the service has not applied its migrations to this database.
  const hint =
    (error as { code?: string }).code === "42P01"
      ? " (start the service once: it applies its migrations, which create the table)"
      : "";
  console.error(`outbox ${command} failed: ${(error as Error).message}${hint}`);
  process.exitCode = 1;
} finally {
  await sql.end({ timeout: 5 });
}
