import { randomUUID } from "node:crypto";
import type { Database } from "@switchyard/database";
import {
  type EventType,
  orderCancelled,
  orderPlaced,
  orderStatusChanged,
  protoTimestamp,
  userRegistered,
} from "@switchyard/events";
import type { ConsumedEvent } from "@switchyard/inbox";
import { TransactionRollbackError } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  applyOrderSummaryChange,
  orderSummaryChangeOf,
} from "../src/projections/order-summary-projection.js";
import { readCustomerOrderSummary } from "../src/projections/order-summary-read-model.js";
import { OrderStatus, orderEvents } from "./support/order-event-factory.js";
import { snapshotProjections } from "./support/projection-snapshot.js";
import { type ProjectionTestbed, startProjectionTestbed } from "./support/projection-testbed.js";
import type { TestEventBus } from "./support/test-event-bus.js";

let testbed: ProjectionTestbed;
let database: Database;
let bus: TestEventBus;

beforeAll(async () => {
  testbed = await startProjectionTestbed();
  ({ database, bus } = testbed);
});

afterAll(async () => {
  await testbed?.close();
});

function consumed<T>(type: EventType<T>, message: T & { eventId: string }): ConsumedEvent {
  return {
    envelope: {
      id: message.eventId,
      type: type.typeName,
      source: "test",
      time: new Date(),
      traceparent: undefined,
      subject: type.subject,
      body: new Uint8Array(),
    },
    message,
    type,
  } as ConsumedEvent;
}

/** One customer's history: 3 EUR orders (one confirmed then shipped, one cancelled) and 1 JPY. */
function history(customerId: string): ConsumedEvent[] {
  const a = orderEvents.placed(customerId, "EUR", 3_998n);
  const b = orderEvents.placed(customerId, "EUR", 500n);
  const c = orderEvents.placed(customerId, "EUR", 100_000n);
  const d = orderEvents.placed(customerId, "JPY", 3_600n);
  return [
    consumed(orderPlaced, a),
    consumed(orderPlaced, b),
    consumed(
      orderStatusChanged,
      orderEvents.moved(
        a,
        OrderStatus.ORDER_STATUS_PENDING,
        OrderStatus.ORDER_STATUS_CONFIRMED,
        2n,
      ),
    ),
    consumed(orderPlaced, c),
    consumed(
      orderStatusChanged,
      orderEvents.moved(
        a,
        OrderStatus.ORDER_STATUS_CONFIRMED,
        OrderStatus.ORDER_STATUS_SHIPPED,
        3n,
      ),
    ),
    consumed(orderCancelled, orderEvents.cancelled(c, OrderStatus.ORDER_STATUS_PENDING, 2n)),
    consumed(orderPlaced, d),
  ];
}

const expectedSummary = (customerId: string, lastOrderId: string) => ({
  customerId,
  orderCount: 4n,
  countByStatus: { PENDING: 2n, CONFIRMED: 0n, SHIPPED: 1n, CANCELLED: 1n },
  lifetimeTotals: [
    { currencyCode: "EUR", totalMinor: 4_498n },
    { currencyCode: "JPY", totalMinor: 3_600n },
  ],
  lastOrder: { orderId: lastOrderId, createTime: expect.any(Date) },
});

function lastPlacedOrderId(events: ConsumedEvent[]): string {
  const placed = events.filter((event) => event.type === orderPlaced).at(-1);
  if (!placed) throw new Error("the history holds no OrderPlaced event");
  return (placed.message as { orderId: string }).orderId;
}

describe("order summary read model", () => {
  it("summarizes a customer's order events consumed from the stream", async () => {
    const customerId = randomUUID();
    const events = history(customerId);
    for (const event of events) {
      await bus.publish(event.type, event.message);
    }
    await testbed.consumers.waitUntilCaughtUp();

    expect(await readCustomerOrderSummary(database.db, customerId)).toEqual(
      expectedSummary(customerId, lastPlacedOrderId(events)),
    );
  });

  it("converges to the same summary whatever order the events are applied in", async () => {
    const events = history(randomUUID());
    const orders = [
      events,
      [...events].reverse(),
      [events[6], events[5], events[4], events[3], events[2], events[1], events[0]],
    ];
    const summaries: unknown[] = [];
    // Applied straight to the tables, so rolled back at the end: no stream holds these events.
    await database.db
      .transaction(async (tx) => {
        for (const permutation of orders) {
          const customerId = randomUUID();
          for (const event of permutation) {
            if (event === undefined) continue;
            const message = { ...(event.message as object), customerId };
            await applyOrderSummaryChange(tx, orderSummaryChangeOf({ ...event, message }));
          }
          const summary = await readCustomerOrderSummary(tx, customerId);
          summaries.push({ ...summary, customerId: "same" });
        }
        tx.rollback();
      })
      .catch((error: unknown) => {
        if (!(error instanceof TransactionRollbackError)) throw error;
      });
    expect(summaries[1]).toEqual(summaries[0]);
    expect(summaries[2]).toEqual(summaries[0]);
    expect(summaries[0]).toEqual(expectedSummary("same", lastPlacedOrderId(events)));
  });

  it("answers zeros for a customer without orders", async () => {
    const customerId = randomUUID();
    expect(await readCustomerOrderSummary(database.db, customerId)).toEqual({
      customerId,
      orderCount: 0n,
      countByStatus: { PENDING: 0n, CONFIRMED: 0n, SHIPPED: 0n, CANCELLED: 0n },
      lifetimeTotals: [],
      lastOrder: undefined,
    });
  });

  it("rebuild yields the same tables, row for row, while the consumers keep running", async () => {
    for (let i = 0; i < 5; i++) {
      const customerId = randomUUID();
      await bus.publish(userRegistered, {
        eventId: randomUUID(),
        occurTime: protoTimestamp(new Date()),
        userId: customerId,
        userVersion: 1n,
        email: "a@example.com",
        givenName: "A",
        familyName: `${i}`,
      });
      for (const event of history(customerId)) {
        await bus.publish(event.type, event.message);
      }
    }
    await testbed.consumers.waitUntilCaughtUp();
    const before = await snapshotProjections(database.sql);
    expect(before.orderSummaries.length).toBeGreaterThanOrEqual(5);

    const results = await testbed.rebuild();

    expect(await snapshotProjections(database.sql)).toEqual(before);
    expect(results.get("order-service-order-summaries")?.applied).toBe(
      before.inbox.filter((row) => row.consumer === "order-service-order-summaries").length,
    );
    // The live consumers carry on after the rebuild and apply new events exactly once.
    const customerId = randomUUID();
    const events = history(customerId);
    for (const event of events) await bus.publish(event.type, event.message);
    await testbed.consumers.waitUntilCaughtUp();
    expect(await readCustomerOrderSummary(database.db, customerId)).toEqual(
      expectedSummary(customerId, lastPlacedOrderId(events)),
    );
  });
});
