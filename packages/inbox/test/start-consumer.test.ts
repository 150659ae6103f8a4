import { randomUUID } from "node:crypto";
import { headers } from "@nats-io/transport-node";
import { connectDatabase } from "@switchyard/database";
import {
  orderPlaced,
  streamNameFor,
  subjectFor,
  userEventsStream,
  userRegistered,
} from "@switchyard/events";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { EventHandler } from "../src/consumed-event.js";
import { deadLetterHeaders, deadLetterStreamFor } from "../src/dead-letter-stream.js";
import { type RunningConsumer, startConsumer } from "../src/start-consumer.js";
import { createInboxTestBed, eventually, type InboxTestBed } from "./support/inbox-test-bed.js";
import { startTcpProxy } from "./support/tcp-proxy.js";

// Each test gets its own database and stream: a new durable consumer starts at the stream's
// first message, so a shared stream would replay earlier tests' events.
let bed: InboxTestBed;
const running: RunningConsumer[] = [];
beforeEach(async () => {
  bed = await createInboxTestBed();
});
afterEach(async () => {
  await Promise.all(running.splice(0).map((consumer) => consumer.stop()));
  await bed?.close();
});

let consumerCounter = 0;
async function start(
  handle: EventHandler,
  options: { maxDeliver?: number; durableName?: string } = {},
): Promise<RunningConsumer> {
  consumerCounter += 1;
  const consumer = await startConsumer({
    js: bed.js,
    jsm: bed.jsm,
    db: bed.database.db,
    namespace: bed.namespace,
    stream: userEventsStream,
    durableName: options.durableName ?? `test-consumer-${consumerCounter}`,
    eventTypes: [userRegistered],
    handle,
    maxDeliver: options.maxDeliver ?? 3,
    retryDelayMs: () => 50,
    logger: bed.logger,
  });
  running.push(consumer);
  return consumer;
}

async function deadLetters(): Promise<
  { subject: string; data: Uint8Array; header: (name: string) => string }[]
> {
  const name = streamNameFor(deadLetterStreamFor(userEventsStream), bed.namespace);
  const { state } = await bed.jsm.streams.info(name);
  const found = [];
  for (let seq = state.first_seq; seq <= state.last_seq && state.messages > 0; seq++) {
    const stored = await bed.jsm.streams.getMessage(name, { seq });
    if (stored !== null) {
      found.push({
        subject: stored.subject,
        data: stored.data,
        header: (key: string) => stored.header.get(key),
      });
    }
  }
  return found;
}

describe("startConsumer", () => {
  it("applies an event delivered twice (same ce-id, republished) exactly once", async () => {
    const consumer = await start(bed.recordEffect);
    const first = await bed.publishUserRegistered();
    // A republish after the duplicate window: JetStream stores it again, the inbox must absorb it.
    await bed.publishUserRegistered({ ...first, natsMsgId: randomUUID() });
    await consumer.waitUntilCaughtUp();

    expect(await bed.effects()).toEqual([first]);
    expect(await bed.inboxRows(consumer.durableName)).toBe(1);
  });

  it("applies each event once when two replicas share the durable consumer", async () => {
    const durableName = `shared-${randomUUID().slice(0, 8)}`;
    const [a] = [await start(bed.recordEffect, { durableName })];
    await start(bed.recordEffect, { durableName });
    const published = [];
    for (let i = 0; i < 40; i++) {
      const event = await bed.publishUserRegistered();
      published.push(event);
      if (i % 4 === 0) await bed.publishUserRegistered({ ...event, natsMsgId: randomUUID() });
    }
    await a?.waitUntilCaughtUp();

    const effects = await bed.effects();
    expect(effects).toHaveLength(40);
    expect(new Set(effects.map((effect) => effect.eventId))).toEqual(
      new Set(published.map((event) => event.eventId)),
    );
    expect(await bed.inboxRows(durableName)).toBe(40);
  });

  it("NAKs when the handler fails and applies the redelivered event once", async () => {
    let attempts = 0;
    const consumer = await start(async (event, tx) => {
      attempts += 1;
      await bed.recordEffect(event, tx); // rolled back with the inbox row below
      if (attempts === 1) throw new Error("transient failure");
    });
    const event = await bed.publishUserRegistered();
    await eventually(async () => expect(await bed.effects()).toEqual([event]));
    await consumer.waitUntilCaughtUp();

    expect(attempts).toBe(2);
    expect(await bed.effects()).toEqual([event]);
    expect(await bed.inboxRows(consumer.durableName)).toBe(1);
  });

  it("dead-letters a message after maxDeliver failures, with its headers and the error", async () => {
    let attempts = 0;
    const consumer = await start(
      async () => {
        attempts += 1;
        throw new Error("cannot apply\nthis event");
      },
      { maxDeliver: 3 },
    );
    const event = await bed.publishUserRegistered();
    await eventually(async () => expect(await deadLetters()).toHaveLength(1));
    await consumer.waitUntilCaughtUp();

    expect(attempts).toBe(3);
    const [letter] = await deadLetters();
    expect(letter?.header("ce-id")).toBe(event.eventId);
    expect(letter?.header("ce-type")).toBe(userRegistered.typeName);
    expect(letter?.header("ce-source")).toBe("switchyard/user-service");
    expect(letter?.header(deadLetterHeaders.error)).toBe("Error: cannot apply this event");
    expect(letter?.header(deadLetterHeaders.consumer)).toBe(consumer.durableName);
    expect(letter?.header(deadLetterHeaders.originalSubject)).toBe(
      subjectFor(userRegistered, bed.namespace),
    );
    expect(letter?.header(deadLetterHeaders.deliveryCount)).toBe("3");
    expect(userRegistered.codec.decode(letter?.data ?? new Uint8Array()).userId).toBe(event.userId);
    expect(await bed.effects()).toEqual([]);
    expect(await bed.inboxRows(consumer.durableName)).toBe(0);
  });

  it("dead-letters a message without a valid envelope at its first delivery", async () => {
    let attempts = 0;
    const consumer = await start(async () => {
      attempts += 1;
    });
    const hdrs = headers();
    hdrs.set("ce-type", userRegistered.typeName);
    await bed.js.publish(subjectFor(userRegistered, bed.namespace), new Uint8Array([1, 2, 3]), {
      headers: hdrs,
    });
    await eventually(async () => expect(await deadLetters()).toHaveLength(1));
    await consumer.waitUntilCaughtUp();

    const [letter] = await deadLetters();
    expect(letter?.header(deadLetterHeaders.deliveryCount)).toBe("1");
    expect(letter?.header(deadLetterHeaders.error)).toContain("has no ce-specversion header");
    expect(attempts).toBe(0);
  });

  it("acknowledges and skips valid events of types it does not handle", async () => {
    const consumer = await start(bed.recordEffect);
    const other = await startConsumer({
      js: bed.js,
      jsm: bed.jsm,
      db: bed.database.db,
      namespace: bed.namespace,
      stream: userEventsStream,
      durableName: `only-other-${randomUUID().slice(0, 8)}`,
      eventTypes: [],
      handle: bed.recordEffect,
      logger: bed.logger,
    });
    running.push(other);
    await bed.publishUserRegistered();
    await consumer.waitUntilCaughtUp();
    await other.waitUntilCaughtUp();

    expect(await bed.effects()).toHaveLength(1);
    expect(await bed.inboxRows(other.durableName)).toBe(0);
  });

  it("refuses an event type published on another stream", async () => {
    await expect(
      startConsumer({
        js: bed.js,
        jsm: bed.jsm,
        db: bed.database.db,
        namespace: bed.namespace,
        stream: userEventsStream,
        durableName: "misconfigured",
        eventTypes: [orderPlaced],
        handle: bed.recordEffect,
        logger: bed.logger,
      }),
    ).rejects.toThrow(
      "switchyard.order.events.v1.OrderPlaced is published on SWITCHYARD_ORDER_EVENTS, not SWITCHYARD_USER_EVENTS",
    );
  });
});

describe("startConsumer during a database outage", () => {
  it("keeps NAKing instead of dead-lettering, and applies the event once the database is back", async () => {
    const url = new URL(bed.url);
    const proxy = await startTcpProxy({ host: url.hostname, port: Number(url.port || 5432) });
    url.hostname = "127.0.0.1";
    url.port = String(proxy.port);
    const database = connectDatabase({ url: url.toString(), max: 2 });
    try {
      const consumer = await startConsumer({
        js: bed.js,
        jsm: bed.jsm,
        db: database.db,
        namespace: bed.namespace,
        stream: userEventsStream,
        durableName: "outage",
        eventTypes: [userRegistered],
        handle: bed.recordEffect,
        maxDeliver: 2,
        retryDelayMs: () => 50,
        logger: bed.logger,
      });
      running.push(consumer);
      proxy.cut(); // the database is unreachable: connections reset, new ones refused
      const event = await bed.publishUserRegistered();
      await eventually(async () => {
        const info = await bed.jsm.consumers.info(
          streamNameFor(userEventsStream, bed.namespace),
          consumer.durableName,
        );
        expect(info.delivered.consumer_seq).toBeGreaterThanOrEqual(5); // well past maxDeliver
      });
      proxy.restore();
      await eventually(async () => expect(await bed.effects()).toEqual([event]));
      await consumer.waitUntilCaughtUp();

      expect(await deadLetters()).toEqual([]);
    } finally {
      await Promise.all(running.splice(0).map((running) => running.stop()));
      await database.close();
      await proxy.close();
    }
  });
});
