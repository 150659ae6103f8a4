import { randomUUID } from "node:crypto";
import type { Database } from "@switchyard/database";
import { orderPlaced, orderStatusChanged, protoTimestamp } from "@switchyard/events";
import { appendToOutbox } from "@switchyard/outbox";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readCustomerOrderSummary } from "../src/projections/order-summary-read-model.js";
import { OrderStatus, orderEvents } from "./support/order-event-factory.js";
import { snapshotProjections } from "./support/projection-snapshot.js";
import { type ProjectionTestbed, startProjectionTestbed } from "./support/projection-testbed.js";
import type { TestEventBus } from "./support/test-event-bus.js";

const summaries = "order-service-order-summaries";
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

type Status = "PENDING" | "CONFIRMED" | "SHIPPED" | "CANCELLED";

/** An order row as PlaceOrder (and later moves) left it, written without any event. */
async function insertOrder(order: {
  orderId?: string;
  customerId: string;
  status: Status;
  currencyCode: string;
  totalMinor: bigint;
  daysAgo: number;
  version?: bigint;
}): Promise<string> {
  const orderId = order.orderId ?? randomUUID();
  await database.sql`
    insert into orders (order_id, customer_id, status, currency_code, total_minor, version,
                        create_time, update_time)
    values (${orderId}, ${order.customerId}, ${order.status}, ${order.currencyCode},
            ${order.totalMinor.toString()}, ${(order.version ?? 1n).toString()},
            now() - ${order.daysAgo} * interval '1 day', now())`;
  return orderId;
}

/** The summary the orders table implies for a customer, computed straight from it. */
async function summaryFromOrdersTable(customerId: string) {
  const counts = await database.sql<{ status: Status; count: string }[]>`
    select status, count(*)::text as count from orders where customer_id = ${customerId}
    group by status`;
  const countByStatus = { PENDING: 0n, CONFIRMED: 0n, SHIPPED: 0n, CANCELLED: 0n };
  for (const row of counts) countByStatus[row.status] = BigInt(row.count);
  const totals = await database.sql<{ currencyCode: string; totalMinor: string }[]>`
    select currency_code as "currencyCode", sum(total_minor)::text as "totalMinor" from orders
    where customer_id = ${customerId} and status <> 'CANCELLED'
    group by currency_code order by currency_code`;
  const [last] = await database.sql<{ orderId: string }[]>`
    select order_id as "orderId" from orders where customer_id = ${customerId}
    order by create_time desc, order_id desc limit 1`;
  return {
    customerId,
    orderCount: Object.values(countByStatus).reduce((sum, count) => sum + count, 0n),
    countByStatus,
    lifetimeTotals: totals.map((row) => ({ ...row, totalMinor: BigInt(row.totalMinor) })),
    lastOrder: last ? { orderId: last.orderId, createTime: expect.any(Date) } : undefined,
  };
}

describe("order summary backfill (npm run projections -- rebuild)", () => {
  it("summarizes orders placed before the read model existed; a second rebuild changes nothing", async () => {
    // Placed before the events existed: rows only.
    const old = randomUUID();
    await insertOrder({
      customerId: old,
      status: "PENDING",
      currencyCode: "EUR",
      totalMinor: 1_000n,
      daysAgo: 400,
    });
    await insertOrder({
      customerId: old,
      status: "SHIPPED",
      currencyCode: "EUR",
      totalMinor: 2_500n,
      daysAgo: 300,
    });
    await insertOrder({
      customerId: old,
      status: "CANCELLED",
      currencyCode: "JPY",
      totalMinor: 700n,
      daysAgo: 200,
    });

    // An old order whose OrderPlaced is gone from the stream but whose later confirmation is in
    // it, beside a new order with all its events: the live consumer alone gets this wrong.
    const mixed = randomUUID();
    const oldPlaced = orderEvents.placed(mixed, "EUR", 4_000n);
    await insertOrder({
      orderId: oldPlaced.orderId,
      customerId: mixed,
      status: "CONFIRMED",
      currencyCode: "EUR",
      totalMinor: 4_000n,
      daysAgo: 90,
      version: 2n,
    });
    await bus.publish(
      orderStatusChanged,
      orderEvents.moved(
        oldPlaced,
        OrderStatus.ORDER_STATUS_PENDING,
        OrderStatus.ORDER_STATUS_CONFIRMED,
        2n,
      ),
    );
    // Placed just now, like its row below (the factory's clock starts in January 2026).
    const newPlaced = {
      ...orderEvents.placed(mixed, "EUR", 300n),
      occurTime: protoTimestamp(new Date()),
    };
    await insertOrder({
      orderId: newPlaced.orderId,
      customerId: mixed,
      status: "PENDING",
      currencyCode: "EUR",
      totalMinor: 300n,
      daysAgo: 0,
    });
    await bus.publish(orderPlaced, newPlaced);
    await testbed.consumers.waitUntilCaughtUp();
    expect((await readCustomerOrderSummary(database.db, old)).orderCount).toBe(0n);
    expect((await readCustomerOrderSummary(database.db, mixed)).countByStatus.PENDING).toBe(0n);

    const first = await testbed.rebuild();
    expect(first.get(summaries)?.backfilled).toBe(4);
    for (const customerId of [old, mixed]) {
      expect(await readCustomerOrderSummary(database.db, customerId)).toEqual(
        await summaryFromOrdersTable(customerId),
      );
    }
    const afterFirst = await snapshotProjections(database.sql);

    const second = await testbed.rebuild();
    expect(second.get(summaries)?.backfilled).toBe(4);
    expect(await snapshotProjections(database.sql)).toEqual(afterFirst);
  });

  it("does not apply twice an event of a backfilled order that the relay publishes afterwards", async () => {
    const customerId = randomUUID();
    const placed = orderEvents.placed(customerId, "USD", 900n);
    await insertOrder({
      orderId: placed.orderId,
      customerId,
      status: "CONFIRMED",
      currencyCode: "USD",
      totalMinor: 900n,
      daysAgo: 30,
      version: 2n,
    });
    // Its confirmation committed with the row but is still in the outbox, unpublished.
    const confirmed = orderEvents.moved(
      placed,
      OrderStatus.ORDER_STATUS_PENDING,
      OrderStatus.ORDER_STATUS_CONFIRMED,
      2n,
    );
    await database.db.transaction((tx) =>
      appendToOutbox(tx, orderStatusChanged, confirmed, { aggregateId: placed.orderId }),
    );

    await testbed.rebuild();
    expect(await readCustomerOrderSummary(database.db, customerId)).toEqual(
      await summaryFromOrdersTable(customerId),
    );

    // The relay publishes it now: the live consumer finds it in the inbox and skips it.
    await bus.publish(orderStatusChanged, confirmed);
    await testbed.consumers.waitUntilCaughtUp();
    expect(await readCustomerOrderSummary(database.db, customerId)).toEqual(
      await summaryFromOrdersTable(customerId),
    );

    // A change made after the rebuild is applied as usual.
    await database.sql`update orders set status = 'SHIPPED', version = 3 where order_id = ${placed.orderId}`;
    await bus.publish(
      orderStatusChanged,
      orderEvents.moved(
        placed,
        OrderStatus.ORDER_STATUS_CONFIRMED,
        OrderStatus.ORDER_STATUS_SHIPPED,
        3n,
      ),
    );
    await testbed.consumers.waitUntilCaughtUp();
    const summary = await readCustomerOrderSummary(database.db, customerId);
    expect(summary).toEqual(await summaryFromOrdersTable(customerId));
    expect(summary.countByStatus).toEqual({
      PENDING: 0n,
      CONFIRMED: 0n,
      SHIPPED: 1n,
      CANCELLED: 0n,
    });
  });
});
