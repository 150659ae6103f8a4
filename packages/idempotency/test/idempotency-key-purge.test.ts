import { afterAll, beforeAll, expect, it } from "vitest";
import { idempotencyKeysDdl, type PurgeLogger, startIdempotencyKeyPurge } from "../src/index.js";
import { createScratchDatabase } from "./test-database.js";

let scratch: Awaited<ReturnType<typeof createScratchDatabase>>;

beforeAll(async () => {
  scratch = await createScratchDatabase(4);
  for (const statement of idempotencyKeysDdl.split("--> statement-breakpoint")) {
    await scratch.sql.unsafe(statement);
  }
});

afterAll(async () => {
  await scratch?.drop();
});

async function insertKey(key: string, expiresInMs: number): Promise<void> {
  await scratch.sql`
    insert into idempotency_keys (caller, operation, key, request_hash, response, expires_at)
    values ('web-bff', 'switchyard.order.v1.OrderService/PlaceOrder', ${key}, 'hash', '\\x00',
            now() + ${expiresInMs}::float8 * interval '1 millisecond')`;
}

async function keys(): Promise<string[]> {
  const rows = await scratch.sql<{ key: string }[]>`select key from idempotency_keys order by key`;
  return rows.map((row) => row.key);
}

async function waitFor(what: string, condition: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

const purgedCounts: number[] = [];
const logger: PurgeLogger = {
  info: (fields) => purgedCounts.push((fields as { purged: number }).purged),
  warn: (fields, message) => {
    throw new Error(`unexpected warning: ${message} ${JSON.stringify(fields)}`);
  },
};

it("purges expired idempotency keys on its interval, keeps live ones, and stops when told", async () => {
  await insertKey("expired-a-day-ago", -86_400_000);
  await insertKey("expired-a-second-ago", -1_000);
  await insertKey("live-for-a-day", 86_400_000);
  const purge = startIdempotencyKeyPurge({ db: scratch.db, intervalMs: 100, logger });
  try {
    await waitFor("the expired keys purged", async () => (await keys()).length === 1);
    expect(await keys()).toEqual(["live-for-a-day"]);

    // Keys that expire while it runs go on a later sweep.
    await insertKey("expires-shortly", 200);
    await waitFor("the key that expired later purged", async () => (await keys()).length === 1);
    expect(await keys()).toEqual(["live-for-a-day"]);
    expect(purgedCounts).toEqual([2, 1]);
  } finally {
    await purge.stop();
  }

  await insertKey("expired-after-stop", -1_000);
  await new Promise((resolve) => setTimeout(resolve, 400));
  expect(await keys()).toEqual(["expired-after-stop", "live-for-a-day"]);
});
