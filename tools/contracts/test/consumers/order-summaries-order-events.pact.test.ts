import { MatchersV3 } from "@pact-foundation/pact";
import { orderCancelled, orderPlaced, orderStatusChanged } from "@switchyard/events";
import { orderSummaryProjection } from "@switchyard/order-service/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  cloudEventsMetadata,
  int64Like,
  timestampLike,
  uuidLike,
} from "../../src/events/event-matchers.js";
import {
  type ProjectionUnderTest,
  startProjectionUnderTest,
} from "../../src/events/projection-under-test.js";
import { freshPact } from "../../src/pact-files.js";

// Consumer: order-service's order summaries read model (GetCustomerOrderSummary), fed by
// order-service's own events through JetStream. It declares only what it reads.
const pact = freshPact("order-service-order-summaries", "order-service");
const source = "switchyard/order-service";
const currency = MatchersV3.regex("^[A-Z]{3}$", "EUR");
/** The statuses a summary counts; UNSPECIFIED (absent in JSON) would be dead-lettered. */
const status = (example: string) =>
  MatchersV3.regex("^ORDER_STATUS_(PENDING|CONFIRMED|SHIPPED|CANCELLED)$", example);
let projection: ProjectionUnderTest;

beforeAll(async () => {
  projection = await startProjectionUnderTest(orderSummaryProjection);
});
afterAll(async () => {
  await projection?.close();
});

async function summary(customerId: string) {
  const [counts] = await projection.database.sql`
    select pending_count, confirmed_count, shipped_count, cancelled_count, last_order_id
    from order_summaries where customer_id = ${customerId}`;
  const totals = await projection.database.sql`
    select currency_code, order_count, total_minor
    from order_summary_totals where customer_id = ${customerId}`;
  return { counts, totals: [...totals] };
}

describe("order-service order summaries ← order-service events", () => {
  it("OrderPlaced: one more pending order, its total, and the last order", async () => {
    const customerId = "3e4f5a6b-7c8d-4e9f-a0b1-c2d3e4f5a6b7";
    const orderId = "4f5a6b7c-8d9e-4fa0-b1c2-d3e4f5a6b7c8";
    await pact
      .addAsynchronousInteraction()
      .given("an order placed", { currencyCode: "EUR", totalMinor: "2500" })
      .expectsToReceive("an OrderPlaced event", (message) =>
        message
          .withJSONContent({
            orderId: uuidLike(orderId),
            customerId: uuidLike(customerId),
            currencyCode: currency,
            totalMinor: int64Like("2500"),
            occurTime: timestampLike("2026-11-26T07:00:00.000Z"),
          })
          .withMetadata(
            cloudEventsMetadata(orderPlaced, {
              source,
              eventId: "8b2f1d66-1a5c-4c9f-8e1b-7d2a3f4e5c01",
            }),
          ),
      )
      .executeTest((message) => projection.deliver(message));
    expect(await summary(customerId)).toEqual({
      counts: {
        pending_count: "1",
        confirmed_count: "0",
        shipped_count: "0",
        cancelled_count: "0",
        last_order_id: orderId,
      },
      totals: [{ currency_code: "EUR", order_count: "1", total_minor: "2500" }],
    });
  });

  it("OrderStatusChanged: one order moves from its old status to the new one", async () => {
    const customerId = "5a6b7c8d-9e0f-4a1b-8c2d-e3f4a5b6c7d8";
    await pact
      .addAsynchronousInteraction()
      .given("an order confirmed")
      .expectsToReceive("an OrderStatusChanged event", (message) =>
        message
          .withJSONContent({
            customerId: uuidLike(customerId),
            fromStatus: status("ORDER_STATUS_PENDING"),
            toStatus: status("ORDER_STATUS_CONFIRMED"),
          })
          .withMetadata(
            cloudEventsMetadata(orderStatusChanged, {
              source,
              eventId: "8b2f1d66-1a5c-4c9f-8e1b-7d2a3f4e5c02",
            }),
          ),
      )
      .executeTest((message) => projection.deliver(message));
    expect((await summary(customerId)).counts).toMatchObject({
      pending_count: "-1",
      confirmed_count: "1",
    });
  });

  it("OrderCancelled: one order moves to cancelled and its total comes back out", async () => {
    const customerId = "6b7c8d9e-0f1a-4b2c-9d3e-f4a5b6c7d8e9";
    await pact
      .addAsynchronousInteraction()
      .given("an order cancelled", { currencyCode: "EUR", totalMinor: "2500" })
      .expectsToReceive("an OrderCancelled event", (message) =>
        message
          .withJSONContent({
            customerId: uuidLike(customerId),
            previousStatus: status("ORDER_STATUS_PENDING"),
            currencyCode: currency,
            totalMinor: int64Like("2500"),
          })
          .withMetadata(
            cloudEventsMetadata(orderCancelled, {
              source,
              eventId: "8b2f1d66-1a5c-4c9f-8e1b-7d2a3f4e5c03",
            }),
          ),
      )
      .executeTest((message) => projection.deliver(message));
    expect(await summary(customerId)).toEqual({
      counts: expect.objectContaining({ pending_count: "-1", cancelled_count: "1" }),
      totals: [{ currency_code: "EUR", order_count: "-1", total_minor: "-2500" }],
    });
  });
});
