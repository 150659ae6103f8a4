import { jetstream, jetstreamManager } from "@nats-io/jetstream";
import { OrderStatus } from "@switchyard/contracts/grpc/switchyard/order/v1/order_service";
import { UserStatus } from "@switchyard/contracts/grpc/switchyard/user/v1/user_service";
import { orderEventsStream, streamNameFor } from "@switchyard/events";
import { callUnary } from "@switchyard/grpc-kit";
import { createLogger } from "@switchyard/logging";
import { afterAll, beforeAll, expect, it } from "vitest";
import { orderServiceProjections } from "../src/projections/order-service-projections.js";
import { rebuildProjections } from "../src/projections/rebuild-projections.js";
import { type OrderServiceHarness, startOrderService } from "./support/order-service-harness.js";
import { snapshotProjections } from "./support/projection-snapshot.js";

const totalOrders = 500;
let service: OrderServiceHarness;

beforeAll(async () => {
  service = await startOrderService();
});
afterAll(async () => service?.close());

/** Runs `work(i)` for i in [0, count) with at most `concurrency` in flight. */
async function inParallel(count: number, concurrency: number, work: (i: number) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) await work(next++);
    }),
  );
}

/** The source of truth: what the orders table says each customer's summary must be. */
async function summaryFromOrdersTable(customerId: string) {
  const sql = service.database.sql;
  const counts = await sql<{ status: string; count: string }[]>`
    select status, count(*)::text as count from orders where customer_id = ${customerId} group by status`;
  const totals = await sql<{ currencyCode: string; totalMinor: string }[]>`
    select currency_code as "currencyCode", sum(total_minor)::text as "totalMinor" from orders
    where customer_id = ${customerId} and status <> 'CANCELLED'
    group by currency_code order by currency_code`;
  const [last] = await sql<{ orderId: string }[]>`
    select order_id as "orderId" from orders where customer_id = ${customerId}
    order by create_time desc, order_id desc limit 1`;
  const byStatus = Object.fromEntries(counts.map((row) => [row.status, BigInt(row.count)]));
  return {
    orderCount: counts.reduce((sum, row) => sum + BigInt(row.count), 0n),
    countByStatus: ["PENDING", "CONFIRMED", "SHIPPED", "CANCELLED"].map((status) => ({
      status: OrderStatus[`ORDER_STATUS_${status}` as keyof typeof OrderStatus],
      count: byStatus[status] ?? 0n,
    })),
    lifetimeTotals: totals.map((row) => ({
      currencyCode: row.currencyCode,
      totalMinor: BigInt(row.totalMinor),
    })),
    lastOrderId: last?.orderId ?? "",
  };
}

it("500 orders placed (then some confirmed, shipped, cancelled): every read-model summary equals the orders table, and a rebuild yields the same tables", async () => {
  const { client, users } = service;
  const customers = Array.from({ length: 20 }, () => users.addUser(UserStatus.USER_STATUS_ACTIVE));
  const currencies = ["EUR", "USD", "JPY"];
  const orderIds: string[] = [];
  await inParallel(totalOrders, 8, async (i) => {
    const order = await service.placeOrder({
      customerId: customers[i % customers.length] as string,
      currencyCode: currencies[i % currencies.length] as string,
      lines: [
        { sku: "TEA", quantity: 1 + (i % 4), unitPriceMinor: BigInt(100 + i), currencyCode: "" },
        { sku: "MUG", quantity: 1, unitPriceMinor: 999n, currencyCode: "" },
      ],
    });
    orderIds.push(order.orderId);
  });
  const orderAt = (i: number) => ({ orderId: orderIds[i] as string });
  await inParallel(120, 8, async (i) => {
    await callUnary(client.confirmOrder.bind(client), orderAt(i));
  });
  await inParallel(40, 8, async (i) => {
    await callUnary(client.shipOrder.bind(client), orderAt(i));
  });
  // Orders 60..119: confirmed, never shipped.
  await inParallel(60, 8, async (i) => {
    await callUnary(client.cancelOrder.bind(client), { ...orderAt(60 + i), reason: "acceptance" });
  });
  await service.events.waitForReadModels({ timeoutMs: 60_000 });

  // Every event reached the read model exactly once.
  const [counts] = await service.database.sql<
    { placed: number; events: number; applied: number }[]
  >`
      select (select count(*)::int from outbox_messages where event_type like '%OrderPlaced') as placed,
             (select count(*)::int from outbox_messages) as events,
             (select count(*)::int from inbox_messages
               where consumer = 'order-service-order-summaries') as applied`;
  const events = service.events;
  const stream = await (await jetstreamManager(service.bus.nats)).streams.info(
    streamNameFor(orderEventsStream, events.namespace),
  );
  expect(stream.state.messages).toBe(totalOrders + 220); // one message per event, no duplicate
  expect(counts).toEqual({
    placed: totalOrders,
    events: totalOrders + 120 + 40 + 60,
    applied: totalOrders + 220,
  });

  let grandTotal = 0n;
  for (const customerId of customers) {
    const { summary } = await callUnary(client.getCustomerOrderSummary.bind(client), {
      customerId,
    });
    const expected = await summaryFromOrdersTable(customerId);
    expect({ ...summary, lastOrderTime: undefined }).toEqual({
      customerId,
      ...expected,
      lastOrderTime: undefined,
    });
    grandTotal += expected.orderCount;
  }
  expect(grandTotal).toBe(BigInt(totalOrders));

  const before = await snapshotProjections(service.database.sql);
  const nats = service.bus.nats;
  await rebuildProjections({
    js: jetstream(nats),
    jsm: await jetstreamManager(nats),
    db: service.database.db,
    namespace: events.namespace,
    projections: orderServiceProjections,
    logger: createLogger({ service: "order-service", level: "silent" }),
  });
  expect(await snapshotProjections(service.database.sql)).toEqual(before);
}, 180_000);
