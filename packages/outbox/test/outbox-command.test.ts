import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createOutboxDatabase, type OutboxDatabase } from "./support/outbox-database.js";

const entry = fileURLToPath(new URL("../bin/outbox-command.ts", import.meta.url));
let database: OutboxDatabase;
let directory: string;

beforeAll(async () => {
  database = await createOutboxDatabase();
  directory = await mkdtemp(join(tmpdir(), "outbox-command-"));
});

afterAll(async () => {
  await database?.drop();
  if (directory) await rm(directory, { recursive: true, force: true });
});

/** The command as `npm run outbox --` runs it, with only PATH and the environment given here. */
function outbox(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number | null; output: string }> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      ["--conditions=switchyard-source", "--import", "tsx", entry, ...args],
      { env: { PATH: process.env.PATH ?? "", ...env }, timeout: 60_000 },
      (error, stdout, stderr) => {
        done({ code: error ? (error.code as number | null) : 0, output: stdout + stderr });
      },
    );
  });
}

it("finds the database from --database-url-file, or from the devstack's secret file for --service", async () => {
  const eventId = randomUUID();
  await database.sql`
    insert into outbox_messages (event_id, subject, event_type, aggregate_id, payload, occur_time,
                                 attempts, last_error, dead_letter_time)
    values (${eventId}, 'order.v1.order_placed', 'switchyard.order.events.v1.OrderPlaced',
            'order-1', '\\x00', now(), 10, 'no stream matches the subject', now())`;
  const urlFile = join(directory, "database-url");
  await writeFile(urlFile, `${database.url}\n`, { mode: 0o600 });

  const listed = await outbox(["list-dead", "--database-url-file", urlFile]);
  expect(listed.code).toBe(0);
  expect(listed.output).toContain(eventId);

  // The devstack writes <state dir>/secrets/<prefix>_<service>.database-url.
  const stateDir = join(directory, "devstack");
  await mkdir(join(stateDir, "secrets"), { recursive: true });
  await writeFile(join(stateDir, "secrets", "demo_order_service.database-url"), database.url);
  const devstack = { DEVSTACK_DIR: stateDir, DEVSTACK_NAME_PREFIX: "demo" };
  const redriven = await outbox(["redrive", "--service", "order-service"], devstack);
  expect(redriven).toMatchObject({ code: 0 });
  expect(redriven.output).toContain("redriven: 1 event(s)");
  expect(await database.pendingCount()).toBe(1);
});

it("says what is missing and changes nothing when it cannot find the database", async () => {
  const missing = await outbox(["status", "--service", "order-service"], {
    DEVSTACK_DIR: join(directory, "nowhere"),
  });
  expect(missing.code).toBe(69);
  expect(missing.output).toContain(
    "nowhere/secrets/switchyard_order_service.database-url is missing",
  );

  const unknown = await outbox(["purge-everything", "--database-url", database.url]);
  expect(unknown.code).toBe(64);
  expect(unknown.output).toContain("usage: npm run outbox");
});
