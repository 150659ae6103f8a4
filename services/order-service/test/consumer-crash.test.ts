import { randomUUID } from "node:crypto";
import { applyMigrations, connectDatabase, type Database } from "@switchyard/database";
import {
  type AnyEventType,
  dateFromProtoTimestamp,
  orderCancelled,
  orderEventsStream,
  orderPlaced,
  orderStatusChanged,
  streamNameFor,
} from "@switchyard/events";
import { createTestDatabase } from "@switchyard/testing";
import { afterAll, beforeAll, expect, it } from "vitest";
import { orderSummaryProjection } from "../src/projections/order-summary-projection.js";
import { readCustomerOrderSummary } from "../src/projections/order-summary-read-model.js";
import { migrationsFolder } from "./support/migrated-database.js";
import { OrderStatus, orderEvents } from "./support/order-event-factory.js";
import {
  type ConsumerProcess,
  spawnProjectionConsumers,
} from "./support/projection-consumer-process-control.js";
import { createTestEventBus, type TestEventBus } from "./support/test-event-bus.js";

const kills = 12;

let database: Database;
let databaseUrl: string;
let dropDatabase: () => Promise<void>;
let bus: TestEventBus;
let current: ConsumerProcess | undefined;

beforeAll(async () => {
  const testDatabase = await createTestDatabase({ prefix: "order_service" });
  databaseUrl = testDatabase.url;
  database = connectDatabase({ url: databaseUrl, max: 4 });
  await applyMigrations(database, { migrationsFolder, service: "order_service" });
  dropDatabase = async () => {
    await database.close();
    await testDatabase.drop();
  };
  bus = await createTestEventBus();
});

afterAll(async () => {
  await current?.kill();
  await bus?.close();
  await dropDatabase?.();
});

interface PlannedEvent {
  type: AnyEventType;
  message: { eventId: string };
}

/**
 * 1,000 valid order events over 25 customers: 600 placed; 200 confirmed, 50 of them shipped;
 * 100 cancelled while pending and 50 after confirmation.
 */
function plannedEvents() {
  const customers = Array.from({ length: 25 }, () => randomUUID());
  const currencies = ["EUR", "USD", "JPY"];
  const placed = Array.from({ length: 600 }, (_, i) =>
    orderEvents.placed(
      customers[i % customers.length] as string,
      currencies[i % currencies.length] as string,
      BigInt(100 + ((i * 7919) % 100_000)),
    ),
  );
  const planned: PlannedEvent[] = placed.map((message) => ({ type: orderPlaced, message }));
  const PENDING = OrderStatus.ORDER_STATUS_PENDING;
  const CONFIRMED = OrderStatus.ORDER_STATUS_CONFIRMED;
  const SHIPPED = OrderStatus.ORDER_STATUS_SHIPPED;
  const status = new Map(placed.map((order) => [order.orderId, "PENDING"]));
  placed.slice(0, 200).forEach((order) => {
    planned.push({
      type: orderStatusChanged,
      message: orderEvents.moved(order, PENDING, CONFIRMED, 2n),
    });
    status.set(order.orderId, "CONFIRMED");
  });
  placed.slice(0, 50).forEach((order) => {
    planned.push({
      type: orderStatusChanged,
      message: orderEvents.moved(order, CONFIRMED, SHIPPED, 3n),
    });
    status.set(order.orderId, "SHIPPED");
  });
  placed.slice(200, 300).forEach((order) => {
    planned.push({ type: orderCancelled, message: orderEvents.cancelled(order, PENDING, 2n) });
    status.set(order.orderId, "CANCELLED");
  });
  placed.slice(50, 100).forEach((order) => {
    planned.push({ type: orderCancelled, message: orderEvents.cancelled(order, CONFIRMED, 3n) });
    status.set(order.orderId, "CANCELLED");
  });
  return { customers, placed, status, planned };
}

const randomInt = (min: number, max: number) => min + Math.floor(Math.random() * (max - min + 1));

async function appliedCount(): Promise<number> {
  const [row] = await database.sql<{ count: number }[]>`
    select count(*)::int as count from inbox_messages
    where consumer = ${orderSummaryProjection.durableName}`;
  return row?.count ?? 0;
}

async function waitFor(what: string, probe: () => Promise<boolean>, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

it("consumers SIGKILLed at random points while 1,000 events (and republished duplicates) arrive apply each exactly once", async () => {
  const { customers, placed, status, planned } = plannedEvents();
  expect(planned).toHaveLength(1_000);
  const env = {
    DATABASE_URL: databaseUrl,
    NATS_URL: bus.url,
    EVENTS_NAMESPACE: bus.namespace.prefix,
  };
  const streamName = streamNameFor(orderEventsStream, bus.namespace);

  let next = 0;
  let duplicatesPublished = 0;
  let killsWithWorkInHand = 0;
  for (let round = 0; round < kills; round++) {
    const burst = planned.slice(next, next + Math.ceil(planned.length / kills));
    next += burst.length;
    for (const event of burst) {
      await bus.publish(event.type, event.message);
      // A copy under a fresh Nats-Msg-Id: what a redrive or a republish after the duplicate
      // window puts in the stream. Only the inbox can absorb it.
      if (Math.random() < 0.1) {
        await bus.publish(event.type, event.message, { natsMsgId: randomUUID() });
        duplicatesPublished += 1;
      }
    }
    const appliedBefore = await appliedCount();
    current = spawnProjectionConsumers(env);
    await current.ready;
    const target = appliedBefore + randomInt(1, Math.max(1, burst.length - 1));
    await waitFor("part of the burst applied", async () => (await appliedCount()) >= target);
    await current.kill();
    const consumer = await bus.jsm.consumers.info(streamName, orderSummaryProjection.durableName);
    if (consumer.num_pending + consumer.num_ack_pending > 0) killsWithWorkInHand += 1;
  }
  expect(next).toBe(1_000);
  expect(duplicatesPublished).toBeGreaterThan(50);
  // The kills must have interrupted real work, or the test proves nothing.
  expect(killsWithWorkInHand).toBeGreaterThanOrEqual(kills - 1);

  current = spawnProjectionConsumers(env);
  await current.ready;
  await waitFor("every event applied", async () => (await appliedCount()) === 1_000);
  await waitFor("the consumer caught up", async () => {
    const info = await bus.jsm.consumers.info(streamName, orderSummaryProjection.durableName);
    return info.num_pending === 0 && info.num_ack_pending === 0;
  });
  await current.kill();
  current = undefined;

  const { state } = await bus.jsm.streams.info(streamName);
  expect(state.messages).toBe(1_000 + duplicatesPublished);
  expect(await appliedCount()).toBe(1_000);
  for (const customerId of customers) {
    const orders = placed.filter((order) => order.customerId === customerId);
    const countByStatus = { PENDING: 0n, CONFIRMED: 0n, SHIPPED: 0n, CANCELLED: 0n };
    const totals = new Map<string, bigint>();
    for (const order of orders) {
      const final = status.get(order.orderId) as keyof typeof countByStatus;
      countByStatus[final] += 1n;
      if (final !== "CANCELLED") {
        totals.set(order.currencyCode, (totals.get(order.currencyCode) ?? 0n) + order.totalMinor);
      }
    }
    const last = orders.at(-1);
    expect(await readCustomerOrderSummary(database.db, customerId)).toEqual({
      customerId,
      orderCount: BigInt(orders.length),
      countByStatus,
      lifetimeTotals: [...totals.entries()]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([currencyCode, totalMinor]) => ({ currencyCode, totalMinor })),
      lastOrder: last && {
        orderId: last.orderId,
        createTime: dateFromProtoTimestamp(last.occurTime ?? { seconds: 0n, nanos: 0 }),
      },
    });
  }
}, 240_000);
