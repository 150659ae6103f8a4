import * as grpc from "@grpc/grpc-js";
import { jetstream, jetstreamManager } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/transport-node";
import {
  OrderCancelled,
  OrderPlaced,
  OrderStatus,
  OrderStatusChanged,
} from "@switchyard/contracts/grpc/switchyard/order/events/v1/order_events";
import type { PlaceOrderRequest } from "@switchyard/contracts/grpc/switchyard/order/v1/order_service";
import {
  type EventEnvelope,
  type EventNamespace,
  envelopeFromMessage,
  eventTypeByName,
  orderEventsStream,
  streamNameFor,
} from "@switchyard/events";
import { callUnary } from "@switchyard/grpc-kit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  grpcError,
  type OrderServiceHarness,
  startOrderService,
} from "./support/order-service-harness.js";

let service: OrderServiceHarness;
let connection: NatsConnection;
let namespace: EventNamespace;

// The relay is the one the declaration runs (the host starts it), publishing to the harness's
// NATS namespace; this test reads that stream.
beforeAll(async () => {
  service = await startOrderService();
  connection = service.bus.nats;
  namespace = service.events.namespace;
});

afterAll(async () => {
  await service?.close();
});

const request = (unitPriceMinor = 250n): PlaceOrderRequest => ({
  customerId: service.users.activeUserId,
  currencyCode: "EUR",
  lines: [{ sku: "TEA-GREEN", quantity: 2, unitPriceMinor, currencyCode: "EUR" }],
});

const traceparent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

/** Messages of this test's order stream, from the start. */
async function streamEnvelopes(): Promise<EventEnvelope[]> {
  const name = streamNameFor(orderEventsStream, namespace);
  const total = (await (await jetstreamManager(connection)).streams.info(name)).state.messages;
  const envelopes: EventEnvelope[] = [];
  if (total === 0) return envelopes;
  const messages = await (await jetstream(connection).consumers.get(name)).consume();
  for await (const message of messages) {
    envelopes.push(envelopeFromMessage(message));
    if (envelopes.length === total) break;
  }
  await messages.close();
  return envelopes;
}

async function waitForOutboxDrained(): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const [row] = await service.database.sql<{ n: number }[]>`
      select count(*)::int as n from outbox_messages where published_time is null`;
    if (row?.n === 0) return;
    if (Date.now() > deadline) throw new Error(`${row?.n} outbox rows still unpublished`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function eventsOf(orderId: string): Promise<EventEnvelope[]> {
  await waitForOutboxDrained();
  return (await streamEnvelopes()).filter((envelope) => {
    const decoded = eventTypeByName(envelope.type)?.codec.decode(envelope.body) as
      | { orderId?: string }
      | undefined;
    return decoded?.orderId === orderId;
  });
}

describe("order events", () => {
  it("confirm and ship publish OrderStatusChanged with the status they moved from; a rejected move publishes nothing", async () => {
    const { client } = service;
    const placed = await service.placeOrder(request());
    const metadata = new grpc.Metadata();
    metadata.set("traceparent", traceparent);
    await callUnary(client.confirmOrder.bind(client), { orderId: placed.orderId }, { metadata });
    await callUnary(client.shipOrder.bind(client), { orderId: placed.orderId });
    await grpcError(
      callUnary(client.cancelOrder.bind(client), { orderId: placed.orderId, reason: "late" }),
    );

    const events = await eventsOf(placed.orderId);
    expect(events.map((envelope) => envelope.type)).toEqual([
      "switchyard.order.events.v1.OrderPlaced",
      "switchyard.order.events.v1.OrderStatusChanged",
      "switchyard.order.events.v1.OrderStatusChanged",
    ]);
    const [placedEvent, confirmed, shipped] = events;
    expect(OrderPlaced.decode(placedEvent?.body ?? new Uint8Array())).toMatchObject({
      orderId: placed.orderId,
      orderVersion: 1n,
      customerId: service.users.activeUserId,
      currencyCode: "EUR",
      totalMinor: 500n,
      lines: [{ sku: "TEA-GREEN", quantity: 2, unitPriceMinor: 250n }],
    });
    expect(OrderStatusChanged.decode(confirmed?.body ?? new Uint8Array())).toMatchObject({
      orderVersion: 2n,
      fromStatus: OrderStatus.ORDER_STATUS_PENDING,
      toStatus: OrderStatus.ORDER_STATUS_CONFIRMED,
    });
    expect(confirmed?.traceparent).toBe(traceparent);
    expect(OrderStatusChanged.decode(shipped?.body ?? new Uint8Array())).toMatchObject({
      orderVersion: 3n,
      fromStatus: OrderStatus.ORDER_STATUS_CONFIRMED,
      toStatus: OrderStatus.ORDER_STATUS_SHIPPED,
    });
    expect(shipped?.traceparent).not.toBe(traceparent);
  });

  it("cancel publishes OrderCancelled with the previous status, the reason and the amount", async () => {
    const { client } = service;
    const placed = await service.placeOrder(request(1_000n));
    await callUnary(client.confirmOrder.bind(client), { orderId: placed.orderId });
    await callUnary(client.cancelOrder.bind(client), {
      orderId: placed.orderId,
      reason: "changed mind",
    });
    const cancelled = (await eventsOf(placed.orderId)).at(-1);
    expect(cancelled?.type).toBe("switchyard.order.events.v1.OrderCancelled");
    expect(OrderCancelled.decode(cancelled?.body ?? new Uint8Array())).toMatchObject({
      orderVersion: 3n,
      previousStatus: OrderStatus.ORDER_STATUS_CONFIRMED,
      reason: "changed mind",
      currencyCode: "EUR",
      totalMinor: 2_000n,
    });
  });

  it("a PlaceOrder retried with the same idempotency key publishes one OrderPlaced", async () => {
    const first = await service.placeOrder(request(), { idempotencyKey: "events-retry-1" });
    const again = await service.placeOrder(request(), { idempotencyKey: "events-retry-1" });
    expect(again.orderId).toBe(first.orderId);
    expect(await eventsOf(first.orderId)).toHaveLength(1);
  });

  it("500 orders placed → exactly 500 OrderPlaced messages in the stream, with distinct ids", async () => {
    const before = (await streamEnvelopes()).length;
    const placed: { orderId: string; totalMinor: bigint }[] = [];
    let next = 0;
    const worker = async () => {
      while (next < 500) {
        next++;
        const order = await service.placeOrder(request(BigInt(100 + placed.length)));
        placed.push({ orderId: order.orderId, totalMinor: order.totalMinor });
      }
    };
    await Promise.all(Array.from({ length: 10 }, worker));
    expect(placed).toHaveLength(500);
    await waitForOutboxDrained();

    const orderPlacedEnvelopes = (await streamEnvelopes())
      .slice(before)
      .filter((envelope) => envelope.type === "switchyard.order.events.v1.OrderPlaced");
    expect(orderPlacedEnvelopes).toHaveLength(500);
    expect(new Set(orderPlacedEnvelopes.map((envelope) => envelope.id)).size).toBe(500);
    const events = orderPlacedEnvelopes.map((envelope) => OrderPlaced.decode(envelope.body));
    expect(new Set(events.map((event) => event.orderId))).toEqual(
      new Set(placed.map((order) => order.orderId)),
    );
    const sum = (values: bigint[]) => values.reduce((total, value) => total + value, 0n);
    expect(sum(events.map((event) => event.totalMinor))).toBe(
      sum(placed.map((order) => order.totalMinor)),
    );
  }, 120_000);
});
