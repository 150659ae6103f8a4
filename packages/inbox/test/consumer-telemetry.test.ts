import { SpanKind, SpanStatusCode } from "@opentelemetry/api";
import { userEventsStream, userRegistered } from "@switchyard/events";
import {
  dataPointsWith,
  type InMemoryTelemetry,
  installInMemoryTelemetry,
} from "@switchyard/testing/telemetry";
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from "vitest";
import { type RunningConsumer, startConsumer } from "../src/start-consumer.js";
import { createInboxTestBed, eventually, type InboxTestBed } from "./support/inbox-test-bed.js";

// The consumer's spans and metrics when deliveries fail (the happy path and the parent/link
// edges are proven end to end in packages/outbox/test/async-hop-trace.test.ts).

let telemetry: InMemoryTelemetry;
let bed: InboxTestBed;
let consumer: RunningConsumer | undefined;
beforeAll(() => {
  telemetry = installInMemoryTelemetry();
});
afterAll(async () => {
  await telemetry?.uninstall();
});
beforeEach(async () => {
  bed = await createInboxTestBed();
  telemetry.resetSpans();
});
afterEach(async () => {
  await consumer?.stop();
  consumer = undefined;
  await bed?.close();
});

it("a handler that keeps failing: ERROR process spans per delivery, redeliveries and the dead letter counted", async () => {
  consumer = await startConsumer({
    js: bed.js,
    jsm: bed.jsm,
    db: bed.database.db,
    namespace: bed.namespace,
    stream: userEventsStream,
    durableName: "failing-consumer",
    eventTypes: [userRegistered],
    async handle() {
      throw new Error("handler broke");
    },
    maxDeliver: 3,
    retryDelayMs: () => 20,
    logger: bed.logger,
  });
  // Published without a traceparent: each process span is a root with no link.
  await bed.publishUserRegistered();
  const processSpans = () => telemetry.spans().filter((span) => span.kind === SpanKind.CONSUMER);
  await eventually(async () => {
    const outcomes = processSpans().map((span) => span.attributes["switchyard.consumer.outcome"]);
    expect(outcomes).toEqual(["retry", "retry", "dead_lettered"]);
  });

  const spans = processSpans();
  for (const [index, span] of spans.entries()) {
    expect(span.name).toMatch(/^process .*switchyard\.user\.v1\./);
    expect(span.status.code).toBe(SpanStatusCode.ERROR);
    expect(span.parentSpanContext).toBeUndefined();
    expect(span.links).toEqual([]);
    expect(span.attributes["switchyard.jetstream.delivery_count"]).toBe(index + 1);
    expect(span.attributes["messaging.consumer.group.name"]).toBe("failing-consumer");
    // The handler's rolled-back transaction is a child of its delivery's span.
    const children = telemetry
      .spans()
      .filter((child) => child.parentSpanContext?.spanId === span.spanContext().spanId);
    expect(children.map((child) => child.name)).toContain("transaction");
  }

  const group = { "messaging.consumer.group.name": "failing-consumer" };
  const redeliveries = dataPointsWith(
    await telemetry.collectMetric("switchyard.consumer.redeliveries"),
    group,
  );
  expect(redeliveries.map((point) => point.value)).toEqual([2]);
  const deadLettered = dataPointsWith(
    await telemetry.collectMetric("switchyard.consumer.dead_lettered"),
    group,
  );
  expect(deadLettered.map((point) => point.value)).toEqual([1]);
  const failed = dataPointsWith(await telemetry.collectMetric("messaging.process.duration"), {
    ...group,
    "error.type": "Error",
  });
  expect((failed[0]?.value as { count: number } | undefined)?.count).toBe(3);
});
