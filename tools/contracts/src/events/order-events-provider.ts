import { randomUUID } from "node:crypto";
import { MessageProviderPact } from "@pact-foundation/pact";
import { orderCancelled, orderPlaced, orderStatusChanged } from "@switchyard/events";
import {
  type Order,
  orderCancelledEvent,
  orderPlacedEvent,
  orderStatusChangedEvent,
} from "@switchyard/order-service/testing";
import { pactFile } from "../pact-files.js";
import { messageProvider, outboxMessage } from "./provider-message.js";

/** The event builders order-service's use cases call; a test may swap one for a broken one. */
export const orderEventBuilders = {
  orderPlacedEvent,
  orderStatusChangedEvent,
  orderCancelledEvent,
};
export type OrderEventBuilders = typeof orderEventBuilders;

/** A provider state's parameters, as Pact hands them to a state handler. */
type Params = { [name: string]: string };

const service = "order-service";

/**
 * Verifies order-service against its event consumers' pacts (today its own order summaries read
 * model): each provider state makes the order a use case would have stored, each message comes
 * out of the real builder and the outbox path. Resolves / rejects like `verifyUserServiceEvents`.
 */
export function verifyOrderServiceEvents(builders: OrderEventBuilders = orderEventBuilders) {
  let order: Order = storedOrder({});
  const totalOf = (params: Params) =>
    typeof params.totalMinor === "string" ? BigInt(params.totalMinor) : 2_500n;
  const currencyOf = (params: Params) =>
    typeof params.currencyCode === "string" ? params.currencyCode : "EUR";
  return new MessageProviderPact({
    provider: service,
    pactUrls: [pactFile("order-service-order-summaries", service)],
    logLevel: "error",
    stateHandlers: {
      "an order placed": async (_state: string, params: Params = {}) => {
        order = storedOrder({ currencyCode: currencyOf(params), totalMinor: totalOf(params) });
      },
      "an order confirmed": async () => {
        order = storedOrder({ status: "CONFIRMED", version: 2n });
      },
      "an order cancelled": async (_state: string, params: Params = {}) => {
        order = storedOrder({
          status: "CANCELLED",
          version: 2n,
          cancelReason: "changed my mind",
          currencyCode: currencyOf(params),
          totalMinor: totalOf(params),
        });
      },
    },
    messageProviders: {
      "an OrderPlaced event": messageProvider(() =>
        outboxMessage(orderPlaced, builders.orderPlacedEvent(order), { service }),
      ),
      "an OrderStatusChanged event": messageProvider(() =>
        outboxMessage(orderStatusChanged, builders.orderStatusChangedEvent(order, "PENDING"), {
          service,
        }),
      ),
      "an OrderCancelled event": messageProvider(() =>
        outboxMessage(orderCancelled, builders.orderCancelledEvent(order, "PENDING"), { service }),
      ),
    },
  }).verify();
}

/** An order as order-service's repository returns it after the use case's write. */
function storedOrder(overrides: Partial<Order>): Order {
  const now = new Date();
  const totalMinor = overrides.totalMinor ?? 2_500n;
  return {
    orderId: randomUUID(),
    customerId: randomUUID(),
    status: "PENDING",
    currencyCode: "EUR",
    lines: [
      {
        sku: "tea-sencha",
        quantity: 2,
        unitPriceMinor: totalMinor / 2n,
        lineTotalMinor: totalMinor,
      },
    ],
    totalMinor,
    cancelReason: undefined,
    version: 1n,
    createTime: now,
    updateTime: now,
    ...overrides,
  };
}
