import { randomUUID } from "node:crypto";
import { jetstreamManager } from "@nats-io/jetstream";
import { connect, type NatsConnection } from "@nats-io/transport-node";
import { ensureStream, orderEventsStream } from "@switchyard/events";
import { createLogger } from "@switchyard/logging";
import { createTestNats, type TestNats } from "@switchyard/testing";
import type { PostgresJsDatabase } from "drizzle-orm/postgres-js";
import type postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cdcReplicationNames, dropCdcReplication, startOutboxRelay } from "../src/index.js";
import { type CdcPostgres, startCdcPostgres } from "./support/cdc-postgres.js";
import { appendOrderPlacedEvents } from "./support/order-placed-events.js";
import { createOutboxDatabase } from "./support/outbox-database.js";
import { waitFor } from "./support/stream-contents.js";

const logger = createLogger({ service: "outbox-retention-test", level: "silent" });
const dayMs = 86_400_000;
let nats: TestNats;
let connection: NatsConnection;
let cdcPostgres: CdcPostgres;
let namespaceCount = 0;

beforeAll(async () => {
  nats = await createTestNats();
  connection = await connect({ servers: nats.url });
  cdcPostgres = await startCdcPostgres();
});

afterAll(async () => {
  await cdcPostgres?.stop();
  await connection?.close();
  await nats?.close();
});

/**
 * Rows neither relay mode will publish while the test runs, written before the relay starts:
 * published long ago, published an hour ago, dead-lettered long ago, pending but not yet due.
 */
async function seedRows(sql: postgres.Sql) {
  const ids = {
    publishedLongAgo: randomUUID(),
    publishedRecently: randomUUID(),
    deadLongAgo: randomUUID(),
    pendingLongAgo: randomUUID(),
  };
  const insert = (id: string, columns: { published?: string; dead?: string; due?: string }) => sql`
    insert into outbox_messages (event_id, subject, event_type, aggregate_id, payload, occur_time,
                                 create_time, published_time, dead_letter_time, next_attempt_time)
    values (${id}, 'order.v1.order_placed', 'switchyard.order.events.v1.OrderPlaced', 'order-1',
            '\\x00', now() - interval '30 days', now() - interval '30 days',
            ${columns.published ?? null}::timestamptz, ${columns.dead ?? null}::timestamptz,
            ${columns.due ?? "now()"}::timestamptz)`;
  const daysAgo = (days: number) => new Date(Date.now() - days * dayMs).toISOString();
  await insert(ids.publishedLongAgo, { published: daysAgo(10) });
  await insert(ids.publishedRecently, {
    published: new Date(Date.now() - 3_600_000).toISOString(),
  });
  await insert(ids.deadLongAgo, { dead: daysAgo(10) });
  await insert(ids.pendingLongAgo, { due: new Date(Date.now() + dayMs).toISOString() });
  return ids;
}

async function remainingIds(sql: postgres.Sql): Promise<Set<string>> {
  const rows = await sql<{ eventId: string }[]>`select event_id as "eventId" from outbox_messages`;
  return new Set(rows.map((row) => row.eventId));
}

/**
 * Starts the relay in `mode` with a one-day retention swept every 100 ms, and checks: only rows
 * published longer ago than the retention go, on every sweep (not just the first), and stop()
 * ends it.
 */
async function provesRetention(
  mode: "poll" | "cdc",
  database: { url: string; sql: postgres.Sql; db: PostgresJsDatabase },
): Promise<void> {
  const { sql } = database;
  const namespace = { prefix: `${nats.prefix}_${++namespaceCount}` };
  await ensureStream(await jetstreamManager(connection), orderEventsStream, namespace);
  const ids = await seedRows(sql);
  const relay = await startOutboxRelay({
    mode,
    sql,
    databaseUrl: database.url,
    nats: connection,
    namespace,
    service: "outbox-test",
    logger,
    publishedRetentionMs: dayMs,
    sweepIntervalMs: 100,
  });
  try {
    await waitFor(
      "the long-published row purged",
      async () => !(await remainingIds(sql)).has(ids.publishedLongAgo),
    );
    const [fresh] = await appendOrderPlacedEvents(database.db, 1);
    await waitFor("the fresh event published", async () => {
      const [row] = await sql`select 1 from outbox_messages
                              where event_id = ${fresh as string} and published_time is not null`;
      return row !== undefined;
    });
    expect(await remainingIds(sql)).toEqual(
      new Set([ids.publishedRecently, ids.deadLongAgo, ids.pendingLongAgo, fresh]),
    );

    // A later sweep takes rows that aged past the retention since the relay started.
    await sql`update outbox_messages set published_time = now() - interval '2 days'
              where event_id = ${ids.publishedRecently}`;
    await waitFor(
      "the aged row purged",
      async () => !(await remainingIds(sql)).has(ids.publishedRecently),
    );
  } finally {
    await relay.stop();
  }
  await sql`update outbox_messages set published_time = now() - interval '2 days'
            where event_id = ${ids.deadLongAgo}`;
  await new Promise((resolve) => setTimeout(resolve, 400));
  expect((await remainingIds(sql)).has(ids.deadLongAgo)).toBe(true);
}

describe("startOutboxRelay retention", () => {
  it("purges published rows past the retention in poll mode and keeps recent and unpublished ones", async () => {
    const database = await createOutboxDatabase();
    try {
      await provesRetention("poll", database);
    } finally {
      await database.drop();
    }
  });

  it("purges published rows past the retention in CDC mode and keeps recent and unpublished ones", async () => {
    const database = await cdcPostgres.createDatabase();
    const [row] = await database.sql<{ name: string }[]>`select current_database() as name`;
    try {
      await provesRetention("cdc", database);
    } finally {
      await dropCdcReplication(database.sql, cdcReplicationNames("outbox-test", row?.name ?? ""));
      await database.close();
    }
  });
});
