import { jetstreamManager } from "@nats-io/jetstream";
import { connect, type NatsConnection } from "@nats-io/transport-node";
import { ensureStream, orderEventsStream, streamNameFor } from "@switchyard/events";
import { createTestNats, type TestNats } from "@switchyard/testing";
import { afterAll, beforeAll, expect, it } from "vitest";
import { appendOrderPlacedEvents } from "./support/order-placed-events.js";
import { createOutboxDatabase, type OutboxDatabase } from "./support/outbox-database.js";
import { type RelayProcess, spawnRelayProcess } from "./support/relay-process-control.js";
import { readStream, waitFor } from "./support/stream-contents.js";

const totalEvents = 1_000;
const kills = 12;

let nats: TestNats;
let connection: NatsConnection;
let database: OutboxDatabase;
let current: RelayProcess | undefined;

beforeAll(async () => {
  nats = await createTestNats();
  connection = await connect({ servers: nats.url });
  database = await createOutboxDatabase();
});

afterAll(async () => {
  await current?.kill();
  await database?.drop();
  await connection?.close();
  await nats?.close();
});

const randomInt = (min: number, max: number) => min + Math.floor(Math.random() * (max - min + 1));

async function publishedCount(): Promise<number> {
  const [row] = await database.sql<{ count: number }[]>`
    select count(*)::int as count from outbox_messages where published_time is not null`;
  return row?.count ?? 0;
}

it("relay killed with SIGKILL at random points still publishes all 1,000 events exactly once to the stream", async () => {
  const namespace = { prefix: nats.prefix };
  await ensureStream(await jetstreamManager(connection), orderEventsStream, namespace);
  const env = {
    DATABASE_URL: database.url,
    NATS_URL: nats.url,
    EVENTS_NAMESPACE: namespace.prefix,
    // Small batches keep a batch in flight most of the time, so kills land mid-publish.
    RELAY_BATCH_SIZE: "10",
  };

  // Each round: a burst of writes (PlaceOrder calls) lands while a fresh relay starts; the
  // relay is SIGKILLed once it has published a random part of the backlog, so the kill
  // falls between a claim and its commit, or between a PubAck and the next batch.
  const written: string[] = [];
  let killsWithPendingRows = 0;
  for (let round = 0; round < kills; round++) {
    const burst = Math.floor(totalEvents / kills) + (round < totalEvents % kills ? 1 : 0);
    const publishedBefore = await publishedCount();
    const writes = appendOrderPlacedEvents(database.db, burst, { concurrency: 2 });
    current = spawnRelayProcess(env);
    await current.ready;
    written.push(...(await writes));
    const target = publishedBefore + randomInt(1, burst - 1);
    await waitFor(
      "part of the burst published",
      async () => (await publishedCount()) >= target,
      30_000,
      2,
    );
    await current.kill();
    if ((await database.pendingCount()) > 0) killsWithPendingRows++;
  }
  expect(written).toHaveLength(totalEvents);
  // The kills must have interrupted real work, or the test proves nothing.
  expect(killsWithPendingRows).toBeGreaterThanOrEqual(kills - 1);

  current = spawnRelayProcess(env);
  await current.ready;
  await waitFor("every outbox row published", async () => (await database.pendingCount()) === 0);
  await current.stop();
  current = undefined;

  const [unpublished] = await database.sql<{ count: number }[]>`
      select count(*)::int as count from outbox_messages where published_time is null`;
  expect(unpublished?.count).toBe(0);
  const stream = await readStream(connection, streamNameFor(orderEventsStream, namespace));
  expect(stream).toHaveLength(totalEvents);
  expect(new Set(stream.map((envelope) => envelope.id))).toEqual(new Set(written));
}, 180_000);
