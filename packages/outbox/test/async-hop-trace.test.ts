import {
  type JetStreamClient,
  type JetStreamManager,
  jetstream,
  jetstreamManager,
} from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/transport-node";
import { SpanKind, SpanStatusCode, trace } from "@opentelemetry/api";
import { connectDatabase, type Database } from "@switchyard/database";
import {
  connectNats,
  type EventNamespace,
  ensureStream,
  orderEventsStream,
  orderPlaced,
  streamNameFor,
  subjectFor,
  traceparentFromSpanContext,
} from "@switchyard/events";
import { inboxMessagesDdl, type RunningConsumer, startConsumer } from "@switchyard/inbox";
import { createLogger } from "@switchyard/logging";
import {
  createTestDatabase,
  createTestNats,
  type TestDatabase,
  type TestNats,
} from "@switchyard/testing";
import {
  dataPointsWith,
  type InMemoryTelemetry,
  installInMemoryTelemetry,
  type ReadableSpan,
  spanNamed,
} from "@switchyard/testing/telemetry";
import { sql as drizzleSql } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  appendToOutbox,
  createOutboxRelay,
  type OutboxBacklogMetrics,
  type OutboxRelayOptions,
  observeOutboxBacklog,
  outboxMessagesDdl,
} from "../src/index.js";
import { sampleOrderPlaced } from "./support/order-placed-events.js";
import { readStream } from "./support/stream-contents.js";

// The async hop, end to end on real Postgres and NATS: a request span writes an outbox row, the
// relay publishes it, a consumer applies it. ONE trace: request → transaction → send → process
// → the handler's transaction. Spans come only from the code under test (@opentelemetry/api);
// the in-memory SDK is the test's.

const logger = createLogger({ service: "async-hop-test", level: "silent" });
const callerTraceparent = "00-11111111111111111111111111111111-2222222222222222-01";
let telemetry: InMemoryTelemetry;
let testDatabase: TestDatabase;
let database: Database;
let testNats: TestNats;
let nats: NatsConnection;
let js: JetStreamClient;
let jsm: JetStreamManager;
let namespace: EventNamespace;
let consumer: RunningConsumer | undefined;
let backlog: OutboxBacklogMetrics | undefined;

beforeAll(async () => {
  telemetry = installInMemoryTelemetry();
  testDatabase = await createTestDatabase({ prefix: "asynchop" });
  database = connectDatabase({ url: testDatabase.url, max: 5 });
  for (const statement of outboxMessagesDdl.split("--> statement-breakpoint")) {
    await database.sql.unsafe(statement);
  }
  await database.sql.unsafe(inboxMessagesDdl);
  await database.sql`create table placed_orders (order_id uuid primary key)`;
  testNats = await createTestNats();
  nats = await connectNats({ url: testNats.url, name: "async-hop-test" });
  js = jetstream(nats);
  jsm = await jetstreamManager(nats);
});
afterAll(async () => {
  await nats?.close();
  await testNats?.close();
  await database?.close();
  await testDatabase?.drop();
  await telemetry?.uninstall();
});

let namespaceCount = 0;
beforeEach(async () => {
  namespace = { prefix: `${testNats.prefix}_hop${++namespaceCount}` };
  await ensureStream(jsm, orderEventsStream, namespace);
  telemetry.resetSpans();
});
afterEach(async () => {
  await consumer?.stop();
  consumer = undefined;
  backlog?.stop();
  backlog = undefined;
});

const tracer = () => trace.getTracer("async-hop-test");

/** Appends one OrderPlaced in a transaction, inside a "PlaceOrder" SERVER span when `traced`. */
async function placeOrder(options: { traced: boolean }) {
  const event = sampleOrderPlaced();
  const write = () =>
    database.db.transaction((tx) =>
      appendToOutbox(tx, orderPlaced, event, {
        aggregateId: event.orderId,
        traceparent: callerTraceparent,
      }),
    );
  if (!options.traced) {
    await write();
    return { event, request: undefined };
  }
  const request = await tracer().startActiveSpan(
    "PlaceOrder",
    { kind: SpanKind.SERVER },
    async (span) => {
      await write();
      span.end();
      return span;
    },
  );
  return { event, request };
}

/** Runs one batch of a polling relay (the test's namespace unless overridden). */
function relayBatch(overrides: Partial<OutboxRelayOptions> = {}): Promise<number> {
  return createOutboxRelay({
    sql: database.sql,
    nats,
    namespace,
    source: "switchyard/async-hop-test",
    logger,
    ...overrides,
  }).relayBatch();
}

async function startOrderConsumer(durableName: string) {
  consumer = await startConsumer({
    js,
    jsm,
    db: database.db,
    namespace,
    stream: orderEventsStream,
    durableName,
    eventTypes: [orderPlaced],
    async handle(event, tx) {
      const placed = event.message as { orderId: string };
      await tx.execute(drizzleSql`insert into placed_orders (order_id) values (${placed.orderId})`);
    },
    retryDelayMs: () => 50,
    logger,
  });
  return consumer;
}

function childrenOf(spans: readonly ReadableSpan[], parent: ReadableSpan): ReadableSpan[] {
  return spans.filter((span) => span.parentSpanContext?.spanId === parent.spanContext().spanId);
}

describe("the async hop: one trace from the request through the outbox to the consumer", () => {
  it("request → transaction → send (PRODUCER) → process (CONSUMER, parent + link) → handler's transaction", async () => {
    const { event, request } = await placeOrder({ traced: true });
    expect(await relayBatch()).toBe(1);
    await (await startOrderConsumer("hop-consumer")).waitUntilCaughtUp();

    const subject = subjectFor(orderPlaced, namespace);
    const spans = telemetry.spans();
    const traceId = request?.spanContext().traceId;
    // Nothing else was traced: the relay's claim and mark statements have no parent span.
    expect(new Set(spans.map((span) => span.spanContext().traceId))).toEqual(new Set([traceId]));

    // The producing transaction, child of the request; the outbox insert inside it.
    const [transaction] = childrenOf(spans, spanNamed(spans, "PlaceOrder"));
    expect(transaction?.name).toBe("transaction");
    expect(childrenOf(spans, transaction as ReadableSpan).map((span) => span.name)).toContain(
      "INSERT outbox_messages",
    );

    // The relay's send span: parent = the row's traceparent = the producing transaction's span.
    const send = spanNamed(spans, `send ${subject}`);
    expect(send.kind).toBe(SpanKind.PRODUCER);
    expect(send.parentSpanContext?.spanId).toBe(transaction?.spanContext().spanId);
    expect(send.attributes).toMatchObject({
      "messaging.system": "nats",
      "messaging.destination.name": subject,
      "messaging.operation.type": "send",
      "messaging.message.id": event.eventId,
      "switchyard.jetstream.duplicate": false,
    });
    // The message carries the send span's context, not the caller's value.
    const [envelope] = await readStream(nats, streamNameFor(orderEventsStream, namespace));
    expect(envelope?.traceparent).toBe(traceparentFromSpanContext(send.spanContext()));

    // The consumer's process span: parent AND link = the send span.
    const process = spanNamed(spans, `process ${subject}`);
    expect(process.kind).toBe(SpanKind.CONSUMER);
    expect(process.parentSpanContext?.spanId).toBe(send.spanContext().spanId);
    expect(process.links.map((link) => link.context.spanId)).toEqual([send.spanContext().spanId]);
    expect(process.attributes).toMatchObject({
      "messaging.system": "nats",
      "messaging.destination.name": subject,
      "messaging.operation.type": "process",
      "messaging.consumer.group.name": "hop-consumer",
      "messaging.message.id": event.eventId,
      "switchyard.jetstream.delivery_count": 1,
      "switchyard.consumer.outcome": "applied",
    });

    // The handler's transaction (inbox insert + effect) runs inside the process span.
    const [consumerTransaction] = childrenOf(spans, process);
    expect(consumerTransaction?.name).toBe("transaction");
    expect(childrenOf(spans, consumerTransaction as ReadableSpan).map((span) => span.name)).toEqual(
      expect.arrayContaining(["INSERT inbox_messages", "INSERT placed_orders"]),
    );
  });

  it("with no active span the row keeps the caller's traceparent, and the send span continues it", async () => {
    await placeOrder({ traced: false });
    const [row] = await database.sql<{ traceparent: string }[]>`
      select traceparent from outbox_messages where published_time is null`;
    expect(row?.traceparent).toBe(callerTraceparent);
    expect(await relayBatch()).toBe(1);
    const send = spanNamed(telemetry.spans(), `send ${subjectFor(orderPlaced, namespace)}`);
    expect(send.spanContext().traceId).toBe("11111111111111111111111111111111");
    expect(send.parentSpanContext?.spanId).toBe("2222222222222222");
  });
});

describe("async metrics", () => {
  it("a row dead-lettered by the relay: ERROR send span, switchyard.outbox.dead_lettered counted", async () => {
    await placeOrder({ traced: true });
    // No stream captures this namespace's subjects: the publish fails (no responders).
    const streamless = { prefix: `${testNats.prefix}_nostream${namespaceCount}` };
    expect(await relayBatch({ namespace: streamless, retry: { maxAttempts: 1 } })).toBe(0);
    const send = spanNamed(telemetry.spans(), `send ${subjectFor(orderPlaced, streamless)}`);
    expect(send.status.code).toBe(SpanStatusCode.ERROR);
    const deadLettered = dataPointsWith(
      await telemetry.collectMetric("switchyard.outbox.dead_lettered"),
      { "cloudevents.event_type": orderPlaced.typeName },
    );
    expect(deadLettered.map((point) => point.value)).toEqual([1]);
    await database.sql`delete from outbox_messages where dead_letter_time is not null`;
  });

  it("outbox backlog and age, lag commit → PubAck, sends; consumer lag and processing", async () => {
    backlog = observeOutboxBacklog(database.sql);
    await placeOrder({ traced: false });
    await placeOrder({ traced: false });
    const attributes = { "db.namespace": testDatabase.name };
    const pendingBefore = dataPointsWith(
      await telemetry.collectMetric("switchyard.outbox.backlog"),
      attributes,
    );
    expect(pendingBefore.map((point) => point.value)).toEqual([2]);
    const age = dataPointsWith(
      await telemetry.collectMetric("switchyard.outbox.oldest_pending.age"),
      attributes,
    );
    expect(age[0]?.value).toBeGreaterThanOrEqual(0);

    expect(await relayBatch()).toBe(2);
    const pendingAfter = dataPointsWith(
      await telemetry.collectMetric("switchyard.outbox.backlog"),
      attributes,
    );
    expect(pendingAfter.map((point) => point.value)).toEqual([0]);

    const subject = subjectFor(orderPlaced, namespace);
    const lag = dataPointsWith(await telemetry.collectMetric("switchyard.outbox.lag"), {
      "messaging.destination.name": subject,
    });
    const lagValue = lag[0]?.value as { count: number; sum: number } | undefined;
    expect(lagValue?.count).toBe(2);
    expect(lagValue?.sum).toBeGreaterThan(0);
    const sent = dataPointsWith(await telemetry.collectMetric("messaging.client.sent.messages"), {
      "messaging.destination.name": subject,
      "messaging.operation.type": "send",
    });
    expect(sent.map((point) => point.value)).toEqual([2]);

    await (await startOrderConsumer("metrics-consumer")).waitUntilCaughtUp();
    const group = { "messaging.consumer.group.name": "metrics-consumer" };
    const consumed = dataPointsWith(
      await telemetry.collectMetric("messaging.client.consumed.messages"),
      group,
    );
    expect(consumed.map((point) => point.value)).toEqual([2]);
    const processed = dataPointsWith(
      await telemetry.collectMetric("messaging.process.duration"),
      group,
    );
    expect((processed[0]?.value as { count: number } | undefined)?.count).toBe(2);
    const consumerLag = dataPointsWith(await telemetry.collectMetric("switchyard.consumer.lag"), {
      ...group,
      "switchyard.jetstream.stream": streamNameFor(orderEventsStream, namespace),
    });
    expect(consumerLag.map((point) => point.value)).toEqual([0]);
  });
});
