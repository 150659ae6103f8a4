import { jetstreamManager } from "@nats-io/jetstream";
import { connect, type NatsConnection } from "@nats-io/transport-node";
import { OrderPlaced } from "@switchyard/contracts/grpc/switchyard/order/events/v1/order_events";
import {
  type EventNamespace,
  ensureStream,
  orderEventsStream,
  orderPlaced,
  streamNameFor,
} from "@switchyard/events";
import { createLogger } from "@switchyard/logging";
import { createTestNats, type TestNats } from "@switchyard/testing";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  appendToOutbox,
  createOutboxRelay,
  listDeadLetters,
  type OutboxRelay,
  type OutboxRelayOptions,
  purgePublishedOutboxMessages,
  redriveDeadLetters,
} from "../src/index.js";
import { appendOrderPlacedEvents, sampleOrderPlaced } from "./support/order-placed-events.js";
import { createOutboxDatabase, type OutboxDatabase } from "./support/outbox-database.js";
import { readStream, waitFor } from "./support/stream-contents.js";

const logger = createLogger({ service: "outbox-test", level: "silent" });
let nats: TestNats;
let connection: NatsConnection;
let database: OutboxDatabase;
let namespaceCount = 0;
const relays: OutboxRelay[] = [];

beforeAll(async () => {
  nats = await createTestNats();
  connection = await connect({ servers: nats.url });
});

afterAll(async () => {
  await connection?.close();
  await nats?.close();
});

afterEach(async () => {
  await Promise.all(relays.splice(0).map((relay) => relay.stop()));
  await database?.drop();
});

/** A fresh outbox database and a namespace with the order stream in it. */
async function setUp(options: { stream?: boolean } = {}): Promise<EventNamespace> {
  database = await createOutboxDatabase();
  const namespace = { prefix: `${nats.prefix}_${++namespaceCount}` };
  if (options.stream ?? true) {
    await ensureStream(await jetstreamManager(connection), orderEventsStream, namespace);
  }
  return namespace;
}

function relay(namespace: EventNamespace, overrides: Partial<OutboxRelayOptions> = {}) {
  const created = createOutboxRelay({
    sql: database.sql,
    nats: connection,
    namespace,
    source: "switchyard/outbox-test",
    logger,
    ...overrides,
  });
  relays.push(created);
  return created;
}

describe("appendToOutbox", () => {
  it("writes the event only when the business transaction commits", async () => {
    await setUp({ stream: false });
    const committed = sampleOrderPlaced();
    await database.db.transaction((tx) =>
      appendToOutbox(tx, orderPlaced, committed, { aggregateId: committed.orderId }),
    );
    const rolledBack = sampleOrderPlaced();
    await expect(
      database.db.transaction(async (tx) => {
        await appendToOutbox(tx, orderPlaced, rolledBack, { aggregateId: rolledBack.orderId });
        throw new Error("business rule failed after the append");
      }),
    ).rejects.toThrow("business rule failed");
    const rows =
      await database.sql`select event_id, subject, event_type, aggregate_id from outbox_messages`;
    expect(rows).toEqual([
      {
        event_id: committed.eventId,
        subject: "switchyard.order.v1.order_placed",
        event_type: "switchyard.order.events.v1.OrderPlaced",
        aggregate_id: committed.orderId,
      },
    ]);
  });

  it("fills in a missing event id and occurrence time", async () => {
    await setUp({ stream: false });
    const { eventId: _, occurTime: __, ...withoutIdentity } = sampleOrderPlaced();
    const eventId = await database.db.transaction((tx) =>
      appendToOutbox(tx, orderPlaced, withoutIdentity, { aggregateId: "a1" }),
    );
    const [row] = await database.sql<{ payload: Buffer }[]>`select payload from outbox_messages`;
    const decoded = OrderPlaced.decode(new Uint8Array(row?.payload ?? []));
    expect(decoded.eventId).toBe(eventId);
    expect(eventId).toMatch(/^[0-9a-f-]{36}$/);
    expect(decoded.occurTime?.seconds).toBeGreaterThan(0n);
  });
});

describe("outbox relay", () => {
  it("publishes a committed event with its CloudEvents envelope and marks it published", async () => {
    const namespace = await setUp();
    const event = sampleOrderPlaced(4_200n);
    const traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
    await database.db.transaction((tx) =>
      appendToOutbox(tx, orderPlaced, event, { aggregateId: event.orderId, traceparent }),
    );
    expect(await relay(namespace).relayBatch()).toBe(1);
    const [envelope] = await readStream(connection, streamNameFor(orderEventsStream, namespace));
    expect(envelope).toMatchObject({
      id: event.eventId,
      type: "switchyard.order.events.v1.OrderPlaced",
      source: "switchyard/outbox-test",
      traceparent,
      subject: `${namespace.prefix}.switchyard.order.v1.order_placed`,
    });
    expect(OrderPlaced.decode(envelope?.body ?? new Uint8Array())).toEqual(event);
    expect(await database.pendingCount()).toBe(0);
    expect(await relay(namespace).relayBatch()).toBe(0);
  });

  it("wakes on NOTIFY instead of waiting for its next poll", async () => {
    const namespace = await setUp();
    // Polling alone would take a minute: only the NOTIFY can explain a fast publish.
    const published: number[] = [];
    relay(namespace, {
      minPollIntervalMs: 60_000,
      maxPollIntervalMs: 60_000,
      onPublished: () => published.push(Date.now()),
    }).start();
    await new Promise((resolve) => setTimeout(resolve, 300)); // let it go idle
    const committedAt = Date.now();
    await appendOrderPlacedEvents(database.db, 1);
    // The bound is far below the 60 s poll yet generous enough for a loaded CI machine (a 500 ms
    // bound once failed there): what it proves is "woken", not "fast".
    await waitFor("the NOTIFY-driven publish", () => published.length === 1, 15_000);
    expect((published[0] ?? Infinity) - committedAt).toBeLessThan(15_000);
  });

  it("without LISTEN, picks events up on its adaptive poll", async () => {
    const namespace = await setUp();
    const published: string[] = [];
    relay(namespace, {
      listen: false,
      maxPollIntervalMs: 200,
      onPublished: (row) => published.push(row.eventId),
    }).start();
    const ids = await appendOrderPlacedEvents(database.db, 20);
    await waitFor("20 polled publishes", () => published.length === 20);
    expect(new Set(published)).toEqual(new Set(ids));
  });

  it("shares the work between three relays without publishing any event twice", async () => {
    const namespace = await setUp();
    const acks: { eventId: string; duplicate: boolean }[] = [];
    for (let index = 0; index < 3; index++) {
      relay(namespace, {
        batchSize: 10,
        onPublished: (row, ack) => acks.push({ eventId: row.eventId, duplicate: ack.duplicate }),
      }).start();
    }
    const ids = await appendOrderPlacedEvents(database.db, 600, { concurrency: 8 });
    await waitFor("all 600 rows published", async () => (await database.pendingCount()) === 0);
    // Every PubAck was a first publish: SKIP LOCKED never handed a row to two relays.
    expect(acks).toHaveLength(600);
    expect(acks.filter((ack) => ack.duplicate)).toEqual([]);
    const stream = await readStream(connection, streamNameFor(orderEventsStream, namespace));
    expect(stream).toHaveLength(600);
    expect(new Set(stream.map((envelope) => envelope.id))).toEqual(new Set(ids));
  });

  it("dead-letters an event after maxAttempts failed publishes, and redrive publishes it", async () => {
    // No stream captures the namespace's subjects, so every publish fails (no responders).
    const namespace = await setUp({ stream: false });
    const [eventId] = await appendOrderPlacedEvents(database.db, 1);
    relay(namespace, {
      retry: { maxAttempts: 3, baseDelayMs: 20, maxDelayMs: 50 },
      maxPollIntervalMs: 20,
    }).start();
    await waitFor(
      "the dead letter",
      async () => (await listDeadLetters(database.sql)).length === 1,
    );
    const [dead] = await listDeadLetters(database.sql);
    expect(dead).toMatchObject({ eventId, attempts: 3 });
    expect(dead?.lastError).toMatch(/jetstream|no responders|503/i);
    expect(await database.pendingCount()).toBe(0);

    await ensureStream(await jetstreamManager(connection), orderEventsStream, namespace);
    expect(await redriveDeadLetters(database.sql, { eventIds: [eventId as string] })).toBe(1);
    await waitFor("the redriven publish", async () => {
      const [row] = await database.sql`select published_time from outbox_messages`;
      return row?.published_time != null;
    });
    const stream = await readStream(connection, streamNameFor(orderEventsStream, namespace));
    expect(stream.map((envelope) => envelope.id)).toEqual([eventId]);
    expect(await listDeadLetters(database.sql)).toEqual([]);
  });

  it("redrives only the dead letters it is given", async () => {
    await setUp({ stream: false });
    const ids = await appendOrderPlacedEvents(database.db, 3);
    await database.sql`update outbox_messages set dead_letter_time = now(), attempts = 10`;
    expect(await redriveDeadLetters(database.sql, { eventIds: [ids[0] as string] })).toBe(1);
    expect(await database.pendingCount()).toBe(1);
    expect(await redriveDeadLetters(database.sql)).toBe(2);
    expect(await redriveDeadLetters(database.sql)).toBe(0);
    const rows = await database.sql`select attempts from outbox_messages where attempts <> 0`;
    expect(rows).toHaveLength(0);
  });

  it("purges published rows past their retention, never pending ones", async () => {
    const namespace = await setUp();
    await appendOrderPlacedEvents(database.db, 3);
    await relay(namespace).relayBatch();
    await appendOrderPlacedEvents(database.db, 2);
    await database.sql`update outbox_messages set published_time = now() - interval '2 days'
                       where published_time is not null`;
    expect(await purgePublishedOutboxMessages(database.sql, { olderThanMs: 86_400_000 })).toBe(3);
    expect(await database.pendingCount()).toBe(2);
  });
});
