import { jetstreamManager } from "@nats-io/jetstream";
import { connect, type NatsConnection } from "@nats-io/transport-node";
import { ensureStream, orderEventsStream, streamNameFor } from "@switchyard/events";
import { createTestNats, type TestNats } from "@switchyard/testing";
import { afterAll, beforeAll, expect, it } from "vitest";
import { dropCdcReplication, replicationSlotState } from "../src/index.js";
import { type CdcDatabase, type CdcPostgres, startCdcPostgres } from "./support/cdc-postgres.js";
import { type CdcRelayProcess, spawnCdcRelayProcess } from "./support/cdc-relay-process-control.js";
import { appendOrderPlacedEvents } from "./support/order-placed-events.js";
import { readStream, waitFor } from "./support/stream-contents.js";

const totalEvents = 1_000;
const kills = 12;

let postgresServer: CdcPostgres;
let database: CdcDatabase;
let nats: TestNats;
let connection: NatsConnection;
let current: CdcRelayProcess | undefined;

beforeAll(async () => {
  postgresServer = await startCdcPostgres();
  database = await postgresServer.createDatabase();
  nats = await createTestNats();
  connection = await connect({ servers: nats.url });
});

afterAll(async () => {
  await current?.kill();
  await postgresServer?.stop();
  await connection?.close();
  await nats?.close();
});

const randomInt = (min: number, max: number) => min + Math.floor(Math.random() * (max - min + 1));

async function publishedCount(): Promise<number> {
  const [row] = await database.sql<{ count: number }[]>`
    select count(*)::int as count from outbox_messages where published_time is not null`;
  return row?.count ?? 0;
}

it("CDC relay killed with SIGKILL at random points still publishes all 1,000 events exactly once, reusing one slot", async () => {
  const namespace = { prefix: nats.prefix };
  await ensureStream(await jetstreamManager(connection), orderEventsStream, namespace);
  const env = {
    DATABASE_URL: database.url,
    NATS_URL: nats.url,
    EVENTS_NAMESPACE: namespace.prefix,
    CDC_PUBLICATION: database.names.publication,
    CDC_SLOT: database.names.slot,
    // Few PubAcks in flight: acknowledgements trail publishes, so kills land in between.
    CDC_MAX_IN_FLIGHT: "20",
    // No catch-up sweep: it would republish rows a broken acknowledgement lost, and hide that.
    CDC_SWEEP_INTERVAL_MS: "3600000",
  };

  // Each round: a fresh relay starts streaming, a burst of writes (PlaceOrder calls) commits
  // while it runs, and it is SIGKILLed once a random part of the burst is marked published,
  // so the kill falls between a PubAck, its row update and the LSN acknowledgement.
  const written: string[] = [];
  let killsWithPendingRows = 0;
  const confirmedLsns = new Set<string>();
  for (let round = 0; round < kills; round++) {
    const burst = Math.floor(totalEvents / kills) + (round < totalEvents % kills ? 1 : 0);
    const publishedBefore = await publishedCount();
    current = spawnCdcRelayProcess(env);
    await current.ready;
    const writes = appendOrderPlacedEvents(database.db, burst, { concurrency: 1 });
    // Within the first 70 %: the kill must land while writes and publishes are both running.
    const target = publishedBefore + randomInt(1, Math.floor(burst * 0.7));
    await waitFor(
      "part of the burst published",
      async () => (await publishedCount()) >= target,
      30_000,
      2,
    );
    await current.kill();
    if ((await database.pendingCount()) > 0) killsWithPendingRows++;
    written.push(...(await writes));
    const slot = await replicationSlotState(database.sql, database.names.slot);
    if (slot?.confirmedFlushLsn) confirmedLsns.add(slot.confirmedFlushLsn);
  }
  expect(written).toHaveLength(totalEvents);
  // The kills must have interrupted real work, or the test proves nothing.
  expect(killsWithPendingRows).toBeGreaterThanOrEqual(kills - 1);
  // The slot moved forward across the crashes (each relay resumed where one acknowledged).
  expect(confirmedLsns.size).toBeGreaterThan(1);

  current = spawnCdcRelayProcess(env);
  await current.ready;
  await waitFor("every outbox row published", async () => (await database.pendingCount()) === 0);
  await current.kill();
  current = undefined;

  const stream = await readStream(connection, streamNameFor(orderEventsStream, namespace));
  expect(stream).toHaveLength(totalEvents);
  expect(new Set(stream.map((envelope) => envelope.id))).toEqual(new Set(written));

  // Thirteen relays, one slot and one publication: no leak.
  expect(await postgresServer.slotNames()).toEqual([database.names.slot]);
  expect(await database.publicationNames()).toEqual([database.names.publication]);
  await waitFor("the killed relay's walsender gone", async () => {
    return (await replicationSlotState(database.sql, database.names.slot))?.active === false;
  });
  await dropCdcReplication(database.sql, database.names);
  expect(await postgresServer.slotNames()).toEqual([]);
  expect(await database.publicationNames()).toEqual([]);
}, 180_000);
