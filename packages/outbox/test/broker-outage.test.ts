import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { jetstreamManager } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/transport-node";
import { connectNats, ensureStream, orderEventsStream, streamNameFor } from "@switchyard/events";
import { findFreePort, type NatsServerProcess, startNatsServer } from "@switchyard/local-infra";
import { createLogger } from "@switchyard/logging";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createOutboxRelay, type OutboxRelay } from "../src/index.js";
import { appendOrderPlacedEvents } from "./support/order-placed-events.js";
import { createOutboxDatabase, type OutboxDatabase } from "./support/outbox-database.js";
import { readStream, waitFor } from "./support/stream-contents.js";

const outageMs = 10_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let storeDir: string;
let port: number;
// This test's OWN nats-server: stopping the shared one would break every other test.
let server: NatsServerProcess | undefined;
let connection: NatsConnection;
let database: OutboxDatabase;
let relay: OutboxRelay | undefined;

beforeAll(async () => {
  storeDir = await mkdtemp(join(tmpdir(), "switchyard-outage-nats-"));
  port = await findFreePort();
  server = await startNatsServer({ port, storeDir, persistent: true });
  connection = await connectNats({ url: server.url, name: "broker-outage-test" });
  database = await createOutboxDatabase();
});

afterAll(async () => {
  await relay?.stop();
  await connection?.close();
  await server?.stop();
  await database?.drop();
  await rm(storeDir, { recursive: true, force: true });
});

it("keeps accepting writes while NATS is down for 10 s and drains every event once it is back", async () => {
  const namespace = { prefix: "outage" };
  await ensureStream(await jetstreamManager(connection), orderEventsStream, namespace);
  relay = createOutboxRelay({
    sql: database.sql,
    nats: connection,
    namespace,
    source: "switchyard/outage-test",
    logger: createLogger({ service: "outage-test", level: "silent" }),
  });
  relay.start();

  const written: string[] = [];
  let writtenDuringOutage = 0;
  let outage = false;
  let writing = true;
  const writer = (async () => {
    while (writing) {
      const ids = await appendOrderPlacedEvents(database.db, 5, { concurrency: 1 });
      written.push(...ids);
      if (outage) writtenDuringOutage += ids.length;
      await sleep(50);
    }
  })();

  await sleep(1_500);
  const pid = server?.pid;
  await server?.stop(); // SIGTERM to that pid
  outage = true;
  await sleep(outageMs);
  outage = false;
  server = await startNatsServer({ port, storeDir, persistent: true });
  expect(server.pid).not.toBe(pid);
  await sleep(1_500);
  writing = false;
  await writer;

  // Writes only touch Postgres: the outage never failed one (the writer would have thrown).
  expect(writtenDuringOutage).toBeGreaterThan(100);
  await waitFor("the backlog to drain", async () => (await database.pendingCount()) === 0, 30_000);
  // An unreachable broker is not the rows' fault: the outage spent none of their attempts.
  const [retried] = await database.sql<{ count: number }[]>`
      select count(*)::int as count from outbox_messages where attempts > 0`;
  expect(retried?.count).toBe(0);
  const stream = await readStream(connection, streamNameFor(orderEventsStream, namespace));
  expect(stream).toHaveLength(written.length);
  expect(new Set(stream.map((envelope) => envelope.id))).toEqual(new Set(written));
}, 90_000);
