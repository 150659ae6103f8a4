/**
 * `npm run outbox -- <command> --service <name>`: inspect and repair a service's outbox.
 *
 *   status     pending, published, dead-lettered rows and the oldest pending one
 *   list-dead  dead-lettered rows with their last error
 *   redrive    put dead letters back in the relay's queue (all, or each --event-id)
 *
 * The command's entry, the one place that knows where a database URL comes from:
 * `--database-url`, else `--database-url-file`, else DATABASE_URL, else the file the devstack
 * (`npm start`) wrote for the service's role (devstack-database-url.ts). The library functions
 * it calls take a connection and nothing else.
 */
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import postgres from "postgres";
import { listDeadLetters, outboxStatus, redriveDeadLetters } from "../src/index.js";
import { devstackDatabaseUrlFile } from "./devstack-database-url.js";

const usage = `usage: npm run outbox -- status|list-dead|redrive --service <user-service|order-service>
       [--database-url <url> | --database-url-file <path>] [--event-id <uuid> ...] [--limit <n>]`;

function fail(message: string, code = 64): never {
  console.error(message);
  process.exit(code);
}

function readUrlFile(file: string, hint: string): string {
  try {
    return readFileSync(file, "utf8").trim();
  } catch {
    return fail(`no database URL: ${file} is missing${hint}`, 69);
  }
}

function databaseUrl(options: { service?: string; url?: string; file?: string }): string {
  if (options.url) return options.url;
  if (options.file) return readUrlFile(options.file, "");
  if (process.env.DATABASE_URL) return process.env.DATABASE_URL;
  if (!options.service) fail(`--service or --database-url is required\n${usage}`);
  return readUrlFile(
    devstackDatabaseUrlFile(options.service, process.env),
    " (is `npm start` running?); pass --database-url",
  );
}

const { positionals, values } = (() => {
  try {
    return parseArgs({
      allowPositionals: true,
      options: {
        service: { type: "string" },
        "database-url": { type: "string" },
        "database-url-file": { type: "string" },
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
const limit = Number(values.limit);
if (!Number.isInteger(limit) || limit < 1) fail(`--limit must be a positive integer\n${usage}`);

const sql = postgres(
  databaseUrl({
    ...(values.service ? { service: values.service } : {}),
    ...(values["database-url"] ? { url: values["database-url"] } : {}),
    ...(values["database-url-file"] ? { file: values["database-url-file"] } : {}),
  }),
  { max: 1, onnotice: () => {} },
);
try {
  if (command === "status") {
    console.table([await outboxStatus(sql)]);
  } else if (command === "list-dead") {
    const rows = await listDeadLetters(sql, { limit });
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
