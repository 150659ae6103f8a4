import { jetstreamManager } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/transport-node";
import { SpanKind, trace } from "@opentelemetry/api";
import {
  connectNats,
  ensureStream,
  orderEventsStream,
  orderPlaced,
  streamNameFor,
  subjectFor,
  traceparentFromSpanContext,
} from "@switchyard/events";
import { createLogger } from "@switchyard/logging";
import { createTestNats, type TestNats } from "@switchyard/testing";
import {
  type InMemoryTelemetry,
  installInMemoryTelemetry,
  spanNamed,
} from "@switchyard/testing/telemetry";
import { afterAll, beforeAll, expect, it } from "vitest";
import { appendToOutbox, createCdcOutboxRelay, dropCdcReplication } from "../src/index.js";
import { type CdcPostgres, startCdcPostgres } from "./support/cdc-postgres.js";
import { sampleOrderPlaced } from "./support/order-placed-events.js";
import { readStream, waitFor } from "./support/stream-contents.js";

// The CDC relay publishes through the same publisher as the polling relay: its send span must be
// in the trace of the request that wrote the row too (async-hop-trace.test.ts has the rest).

let telemetry: InMemoryTelemetry;
let postgresServer: CdcPostgres;
let testNats: TestNats;
let nats: NatsConnection;

beforeAll(async () => {
  telemetry = installInMemoryTelemetry();
  postgresServer = await startCdcPostgres();
  testNats = await createTestNats();
  nats = await connectNats({ url: testNats.url, name: "cdc-async-hop-test" });
});
afterAll(async () => {
  await nats?.close();
  await testNats?.close();
  await postgresServer?.stop();
  await telemetry?.uninstall();
});

it("CDC mode: the send span's parent is the span that wrote the row, and the message carries the send span", async () => {
  const database = await postgresServer.createDatabase();
  const namespace = { prefix: `${testNats.prefix}_cdchop` };
  await ensureStream(await jetstreamManager(nats), orderEventsStream, namespace);
  const relay = createCdcOutboxRelay({
    sql: database.sql,
    databaseUrl: database.url,
    nats,
    namespace,
    source: "switchyard/outbox-test",
    service: "outbox-test",
    replication: database.names,
    logger: createLogger({ service: "cdc-async-hop-test", level: "silent" }),
    standbyRetryMs: 100,
    reconnectDelayMs: 100,
  });
  try {
    await relay.start();
    const event = sampleOrderPlaced();
    const request = await trace
      .getTracer("cdc-async-hop-test")
      .startActiveSpan("PlaceOrder", { kind: SpanKind.SERVER }, async (span) => {
        await database.db.transaction((tx) =>
          appendToOutbox(tx, orderPlaced, event, { aggregateId: event.orderId }),
        );
        span.end();
        return span;
      });
    const subject = subjectFor(orderPlaced, namespace);
    await waitFor("the send span", () =>
      telemetry.spans().some((span) => span.name === `send ${subject}`),
    );
    const send = spanNamed(telemetry.spans(), `send ${subject}`);
    expect(send.kind).toBe(SpanKind.PRODUCER);
    expect(send.spanContext().traceId).toBe(request.spanContext().traceId);
    expect(send.parentSpanContext?.spanId).toBe(request.spanContext().spanId);
    expect(send.attributes["messaging.message.id"]).toBe(event.eventId);
    const [envelope] = await readStream(nats, streamNameFor(orderEventsStream, namespace));
    expect(envelope?.traceparent).toBe(traceparentFromSpanContext(send.spanContext()));
  } finally {
    await relay.stop();
    await dropCdcReplication(database.sql, database.names);
  }
});
