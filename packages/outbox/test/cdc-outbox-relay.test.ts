import { chmod, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { jetstreamManager } from "@nats-io/jetstream";
import { connect, type NatsConnection } from "@nats-io/transport-node";
import {
  connectNats,
  type EventNamespace,
  ensureStream,
  orderEventsStream,
  orderPlaced,
  streamNameFor,
} from "@switchyard/events";
import { findFreePort, startNatsServer } from "@switchyard/local-infra";
import { createLogger } from "@switchyard/logging";
import { createTestNats, type TestNats, uniqueName } from "@switchyard/testing";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  appendToOutbox,
  type CdcOutboxRelay,
  type CdcOutboxRelayOptions,
  cdcReplicationNames,
  createCdcOutboxRelay,
  dropCdcReplication,
  ensureCdcReplication,
  listDeadLetters,
  redriveDeadLetters,
  replicationSlotState,
} from "../src/index.js";
import { type CdcDatabase, type CdcPostgres, startCdcPostgres } from "./support/cdc-postgres.js";
import { appendOrderPlacedEvents, sampleOrderPlaced } from "./support/order-placed-events.js";
import { readStream, waitFor } from "./support/stream-contents.js";

const logger = createLogger({
  service: "outbox-cdc-test",
  level: process.env.CDC_TEST_LOG ?? "silent",
});
let postgresServer: CdcPostgres;
let nats: TestNats;
let connection: NatsConnection;
let database: CdcDatabase;
let databaseOpen = false;
let namespaceCount = 0;
const relays: CdcOutboxRelay[] = [];

beforeAll(async () => {
  postgresServer = await startCdcPostgres();
  nats = await createTestNats();
  connection = await connect({ servers: nats.url });
});

afterAll(async () => {
  // No slot may outlive its test: each one is dropped in afterEach.
  const leftover = await postgresServer?.slotNames();
  await postgresServer?.stop();
  await connection?.close();
  await nats?.close();
  expect(leftover).toEqual([]);
});

afterEach(async () => {
  await Promise.all(relays.splice(0).map((relay) => relay.stop()));
  if (databaseOpen) {
    databaseOpen = false;
    await dropCdcReplication(database.sql, database.names);
  }
});

async function newDatabase(options: { replicationRole?: boolean } = {}): Promise<CdcDatabase> {
  database = await postgresServer.createDatabase(options);
  databaseOpen = true;
  return database;
}

async function setUp(options: { stream?: boolean } = {}): Promise<EventNamespace> {
  await newDatabase();
  const namespace = { prefix: `${nats.prefix}_${++namespaceCount}` };
  if (options.stream ?? true) {
    await ensureStream(await jetstreamManager(connection), orderEventsStream, namespace);
  }
  return namespace;
}

function relay(
  namespace: EventNamespace,
  overrides: Partial<CdcOutboxRelayOptions> = {},
): CdcOutboxRelay {
  const created = createCdcOutboxRelay({
    sql: database.sql,
    databaseUrl: database.url,
    nats: connection,
    namespace,
    source: "switchyard/outbox-test",
    service: "outbox-test",
    replication: database.names,
    logger,
    standbyRetryMs: 100,
    reconnectDelayMs: 100,
    ...overrides,
  });
  relays.push(created);
  return created;
}

async function streamIds(namespace: EventNamespace): Promise<string[]> {
  const envelopes = await readStream(connection, streamNameFor(orderEventsStream, namespace));
  return envelopes.map((envelope) => envelope.id);
}

async function streamCount(namespace: EventNamespace): Promise<number> {
  const jsm = await jetstreamManager(connection);
  return (await jsm.streams.info(streamNameFor(orderEventsStream, namespace))).state.messages;
}

describe("CDC outbox relay", () => {
  it("publishes N committed events as exactly N distinct messages and marks the rows published", async () => {
    const namespace = await setUp();
    await relay(namespace).start();
    const ids = await appendOrderPlacedEvents(database.db, 300, { concurrency: 6 });
    await waitFor("300 messages in the stream", async () => (await streamCount(namespace)) >= 300);
    await waitFor("every row marked published", async () => (await database.pendingCount()) === 0);
    const published = await streamIds(namespace);
    expect(published).toHaveLength(300);
    expect(new Set(published)).toEqual(new Set(ids));
  });

  it("publishes in commit order with the CloudEvents envelope of the row", async () => {
    const namespace = await setUp();
    await relay(namespace).start();
    const traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
    const first = sampleOrderPlaced(4_200n);
    await database.db.transaction((tx) =>
      appendToOutbox(tx, orderPlaced, first, { aggregateId: first.orderId, traceparent }),
    );
    const rest = await appendOrderPlacedEvents(database.db, 20, { concurrency: 1 });
    await waitFor("21 messages", async () => (await streamCount(namespace)) === 21);
    const envelopes = await readStream(connection, streamNameFor(orderEventsStream, namespace));
    expect(envelopes.map((envelope) => envelope.id)).toEqual([first.eventId, ...rest]);
    expect(envelopes[0]).toMatchObject({
      type: "switchyard.order.events.v1.OrderPlaced",
      source: "switchyard/outbox-test",
      traceparent,
      subject: `${namespace.prefix}.switchyard.order.v1.order_placed`,
    });
  });

  it("acknowledges the slot only up to published events, and resumes there after a restart", async () => {
    const namespace = await setUp();
    const first = relay(namespace);
    await first.start();
    await appendOrderPlacedEvents(database.db, 50);
    await waitFor("50 rows published", async () => (await database.pendingCount()) === 0);
    await first.stop();
    const stopped = await replicationSlotState(database.sql, database.names.slot);
    expect(stopped).toMatchObject({ active: false });

    // Committed while no relay runs: kept in the WAL by the slot.
    const whileDown = await appendOrderPlacedEvents(database.db, 50);
    await relay(namespace).start();
    await waitFor("100 messages", async () => (await streamCount(namespace)) === 100);
    await waitFor("every row published", async () => (await database.pendingCount()) === 0);
    expect(await streamIds(namespace)).toEqual(expect.arrayContaining(whileDown));
    // The same slot and publication were reused, none added.
    expect(await postgresServer.slotNames()).toEqual([database.names.slot]);
    expect(await database.publicationNames()).toEqual([database.names.publication]);
  });

  it("lets one relay stream per slot; a second stands by and takes over when the first stops", async () => {
    const namespace = await setUp();
    const active = relay(namespace);
    await active.start();
    const standby = relay(namespace);
    await standby.start();
    await appendOrderPlacedEvents(database.db, 20);
    await waitFor("20 messages", async () => (await streamCount(namespace)) === 20);
    await active.stop();
    await appendOrderPlacedEvents(database.db, 20);
    await waitFor("40 messages", async () => (await streamCount(namespace)) === 40);
    await waitFor("every row published", async () => (await database.pendingCount()) === 0);
    expect(new Set(await streamIds(namespace)).size).toBe(40);
  });

  it("publishes rows committed before the slot existed (a service switching from poll mode)", async () => {
    const namespace = await setUp();
    const before = await appendOrderPlacedEvents(database.db, 30);
    await relay(namespace).start();
    const after = await appendOrderPlacedEvents(database.db, 10);
    await waitFor("40 messages", async () => (await streamCount(namespace)) === 40);
    await waitFor("every row published", async () => (await database.pendingCount()) === 0);
    expect(new Set(await streamIds(namespace))).toEqual(new Set([...before, ...after]));
  });

  it("publishes redriven dead letters, which the insert-only change stream never carries", async () => {
    // The stream is missing at first: every publish fails while NATS answers.
    const namespace = await setUp({ stream: false });
    await relay(namespace, {
      retry: { maxAttempts: 2, baseDelayMs: 10, maxDelayMs: 10 },
      sweepIntervalMs: 100,
    }).start();
    const ids = await appendOrderPlacedEvents(database.db, 3);
    await waitFor("3 dead letters", async () => (await listDeadLetters(database.sql)).length === 3);

    // The operator fixes the cause, then redrives: an UPDATE, so only the sweep can see it.
    await ensureStream(await jetstreamManager(connection), orderEventsStream, namespace);
    expect(await redriveDeadLetters(database.sql)).toBe(3);
    await waitFor("3 messages", async () => (await streamCount(namespace)) === 3);
    await waitFor("every row published", async () => (await database.pendingCount()) === 0);
    expect(new Set(await streamIds(namespace))).toEqual(new Set(ids));
    expect(await listDeadLetters(database.sql)).toEqual([]);
  });

  it("dead-letters a row NATS keeps rejecting and keeps publishing the events after it", async () => {
    const namespace = await setUp();
    await relay(namespace, { retry: { maxAttempts: 3, baseDelayMs: 10, maxDelayMs: 20 } }).start();
    const poison = sampleOrderPlaced();
    // No stream captures this subject: JetStream answers every publish with "no responders".
    await database.sql`insert into outbox_messages
      (event_id, subject, event_type, aggregate_id, payload, occur_time)
      values (${poison.eventId}, 'switchyard.nowhere.v1.lost', 'switchyard.order.events.v1.OrderPlaced',
              ${poison.orderId}, ${Buffer.from([])}, now())`;
    const after = await appendOrderPlacedEvents(database.db, 5);
    await waitFor("5 messages", async () => (await streamCount(namespace)) === 5);
    await waitFor("the poison row dead-lettered", async () => {
      return (await listDeadLetters(database.sql)).length === 1;
    });
    const [dead] = await listDeadLetters(database.sql);
    expect(dead).toMatchObject({ eventId: poison.eventId, attempts: 3 });
    expect(dead?.lastError).toMatch(/jetstream is not enabled|no responders|503/i);
    await waitFor("the good rows marked published", async () => {
      const rows =
        await database.sql`select 1 from outbox_messages where published_time is not null`;
      return rows.length === 5;
    });
    expect(new Set(await streamIds(namespace))).toEqual(new Set(after));
  });

  it("advances the slot with heartbeat messages while only other tables are written", async () => {
    await setUp();
    const namespace = { prefix: `${nats.prefix}_${namespaceCount}` };
    await relay(namespace, { heartbeatIntervalMs: 100 }).start();
    await database.sql`create table audit_entries (id serial primary key, note text)`;
    await waitFor("the relay streaming", async () => {
      return (await replicationSlotState(database.sql, database.names.slot))?.active === true;
    });
    await database.sql`insert into audit_entries (note) select 'x' from generate_series(1, 1000)`;
    const [{ lsn } = { lsn: "" }] = await database.sql<{ lsn: string }[]>`
      select pg_current_wal_lsn()::text as lsn`;
    await waitFor("the slot past the unrelated writes", async () => {
      const [row] = await database.sql<{ passed: boolean }[]>`
        select confirmed_flush_lsn >= ${lsn}::pg_lsn as passed
        from pg_replication_slots where slot_name = ${database.names.slot}`;
      return row?.passed === true;
    });
  });

  it("keeps events in the WAL while NATS is down and publishes all of them when it is back", async () => {
    await newDatabase();
    const storeDir = await mkdtemp(join(tmpdir(), "switchyard-cdc-nats-"));
    await chmod(storeDir, 0o755);
    const port = await findFreePort();
    let server = await startNatsServer({ port, storeDir, persistent: true });
    const ownConnection = await connectNats({ url: server.url, name: "cdc-outage-test" });
    try {
      const namespace = { prefix: uniqueName("outage") };
      await ensureStream(await jetstreamManager(ownConnection), orderEventsStream, namespace);
      await relay(namespace, { nats: ownConnection, publishTimeoutMs: 500 }).start();
      await appendOrderPlacedEvents(database.db, 10);
      await waitFor("10 rows published", async () => (await database.pendingCount()) === 0);

      await server.stop();
      const duringOutage = await appendOrderPlacedEvents(database.db, 40);
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      expect(await database.pendingCount()).toBe(40);
      // Nothing stored in JetStream, nothing acknowledged: the slot still holds those commits.
      const [held] = await database.sql<{ behind: boolean }[]>`
        select confirmed_flush_lsn < pg_current_wal_lsn() as behind
        from pg_replication_slots where slot_name = ${database.names.slot}`;
      expect(held?.behind).toBe(true);
      server = await startNatsServer({ port, storeDir, persistent: true });

      await waitFor(
        "every row published",
        async () => (await database.pendingCount()) === 0,
        30_000,
      );
      const jsm = await jetstreamManager(ownConnection);
      const name = streamNameFor(orderEventsStream, namespace);
      expect((await jsm.streams.info(name)).state.messages).toBe(50);
      const envelopes = await readStream(ownConnection, name);
      expect(envelopes.map((envelope) => envelope.id)).toEqual(
        expect.arrayContaining(duringOutage),
      );
      // An outage is not the rows' fault: nothing was counted against them.
      const [failed] = await database.sql<{ count: number }[]>`
        select count(*)::int as count from outbox_messages where attempts > 0`;
      expect(failed?.count).toBe(0);
    } finally {
      await Promise.all(relays.splice(0).map((created) => created.stop()));
      await ownConnection.close();
      await server.stop();
      await rm(storeDir, { recursive: true, force: true });
    }
  }, 90_000); // a NATS restart plus a 30 s catch-up bound: more than the default 30 s
});

describe("CDC replication set-up", () => {
  it("creates the publication and slot once and reports whether the slot is new", async () => {
    await newDatabase();
    expect(await ensureCdcReplication(database.sql, database.names)).toEqual({ slotCreated: true });
    expect(await ensureCdcReplication(database.sql, database.names)).toEqual({
      slotCreated: false,
    });
    expect(await database.publicationNames()).toEqual([database.names.publication]);
    expect(await postgresServer.slotNames()).toEqual([database.names.slot]);
  });

  it("refuses to drop a slot a relay is streaming from, and drops slot and publication after", async () => {
    const namespace = await setUp();
    const running = relay(namespace);
    await running.start();
    await waitFor("the relay streaming", async () => {
      return (await replicationSlotState(database.sql, database.names.slot))?.active === true;
    });
    await expect(dropCdcReplication(database.sql, database.names)).rejects.toThrow(
      /in use by a running relay/,
    );
    await running.stop();
    // The server ends its walsender a moment after the client's connection closes.
    await waitFor("the slot released", async () => {
      return (await replicationSlotState(database.sql, database.names.slot))?.active === false;
    });
    await dropCdcReplication(database.sql, database.names);
    expect(await postgresServer.slotNames()).toEqual([]);
    expect(await database.publicationNames()).toEqual([]);
  });

  it("names the slot for the database, so the same service in two databases gets two slots", async () => {
    expect(cdcReplicationNames("order-service", "switchyard_orders")).toEqual({
      publication: "order_service_outbox",
      slot: "switchyard_orders_outbox_relay",
    });
    const namespace = await setUp();
    const other = await postgresServer.createDatabase();
    const started = [database, other].map((owner) =>
      createCdcOutboxRelay({
        sql: owner.sql,
        databaseUrl: owner.url,
        nats: connection,
        namespace,
        source: "switchyard/outbox-test",
        service: "order-service",
        logger,
      }),
    );
    relays.push(...started);
    // One after the other: creating a logical slot waits for the transactions running at that
    // moment (cluster-wide) and for Postgres to log a snapshot of them, which the background
    // writer does every 15 s; two creations at once made a CI run time out at 30 s.
    for (const created of started) await created.start();
    const slots = await postgresServer.slotNames();
    const expected = [database, other].map(
      (owner) => `${new URL(owner.url).pathname.slice(1)}_outbox_relay`,
    );
    expect(slots.sort()).toEqual(expected.sort());
    await Promise.all(relays.splice(0).map((created) => created.stop()));
    for (const owner of [database, other]) {
      await dropCdcReplication(
        owner.sql,
        cdcReplicationNames("order-service", new URL(owner.url).pathname.slice(1)),
      );
    }
    databaseOpen = false;
  }, 90_000); // two slot creations, each of which may wait for a 15 s snapshot interval

  it("refuses to stream from a slot that belongs to another database", async () => {
    await newDatabase();
    await ensureCdcReplication(database.sql, database.names);
    const other = await postgresServer.createDatabase();
    await expect(ensureCdcReplication(other.sql, database.names)).rejects.toThrow(
      /belongs to database .*slot names are cluster-wide/,
    );
  });

  it("tells a role without REPLICATION how to fix it", async () => {
    database = await newDatabase({ replicationRole: false });
    await expect(ensureCdcReplication(database.sql, database.names)).rejects.toThrow(
      /cannot create replication slot .*ALTER ROLE <service role> WITH REPLICATION/,
    );
  });
});

describe("CDC relay on a server without logical decoding", () => {
  it("refuses to start, saying how to set wal_level", async () => {
    const replicaOnly = await startCdcPostgres({ postgresFlags: ["-c", "wal_level=replica"] });
    try {
      const own = await replicaOnly.createDatabase();
      const created = createCdcOutboxRelay({
        sql: own.sql,
        databaseUrl: own.url,
        nats: connection,
        namespace: { prefix: nats.prefix },
        source: "switchyard/outbox-test",
        service: "outbox-test",
        logger,
      });
      await expect(created.start()).rejects.toThrow(
        /OUTBOX_RELAY_MODE=cdc needs wal_level=logical, but this Postgres has wal_level=replica.*ALTER SYSTEM SET wal_level = logical/s,
      );
      expect(await replicaOnly.slotNames()).toEqual([]);
    } finally {
      await replicaOnly.stop();
    }
  });
});
