import * as grpc from "@grpc/grpc-js";
import { OrderServiceClient } from "@switchyard/contracts/grpc/switchyard/order/v1/order_service";
import { UserServiceClient } from "@switchyard/contracts/grpc/switchyard/user/v1/user_service";
import { callUnary, createGrpcClient, endUserMetadata } from "@switchyard/grpc-kit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ServiceBackends, startServiceBackends } from "../src/index.js";

let backends: ServiceBackends;
beforeAll(async () => {
  backends = await startServiceBackends({ databasePrefix: "test_backends" });
});
afterAll(async () => backends?.close());

describe("startServiceBackends", () => {
  it("runs the real services over mTLS: a user registered through the gateway's identity orders, and the event-fed summary counts it", async () => {
    const users = createGrpcClient(UserServiceClient, {
      target: backends.userServiceTarget,
      ...backends.clientTransport("gateway", "user-service"),
    });
    const orders = createGrpcClient(OrderServiceClient, {
      target: backends.orderServiceTarget,
      ...backends.clientTransport("gateway", "order-service"),
    });
    const bff = createGrpcClient(OrderServiceClient, {
      target: backends.orderServiceTarget,
      ...backends.clientTransport("web-bff", "order-service"),
    });
    try {
      const { user } = await callUnary(users.registerUser.bind(users), {
        email: `backends-${Date.now()}@example.com`,
        givenName: "Teller",
        familyName: "Backend",
      });
      const customerId = user?.userId ?? "";
      const asCustomer = endUserMetadata({ subject: customerId, scopes: [] });
      asCustomer.set("idempotency-key", `order-${Date.now()}`);
      await callUnary(
        orders.placeOrder.bind(orders),
        {
          customerId,
          currencyCode: "EUR",
          lines: [{ sku: "TEA", quantity: 2, unitPriceMinor: 350n, currencyCode: "" }],
        },
        { metadata: asCustomer },
      );
      await backends.waitForProjections();
      const { summary } = await callUnary(
        bff.getCustomerOrderSummary.bind(bff),
        { customerId },
        { metadata: endUserMetadata({ subject: customerId, scopes: [] }) },
      );
      expect(summary?.orderCount).toBe(1n);
      expect(await backends.counts()).toMatchObject({ users: 1, orders: 1, orderLines: 1 });
    } finally {
      users.close();
      orders.close();
      bff.close();
    }
  });

  it("THE access policy applies: web-bff may not place orders", async () => {
    const bff = createGrpcClient(OrderServiceClient, {
      target: backends.orderServiceTarget,
      ...backends.clientTransport("web-bff", "order-service"),
    });
    try {
      const error = await callUnary(bff.placeOrder.bind(bff), {
        customerId: "00000000-0000-4000-8000-000000000000",
        currencyCode: "EUR",
        lines: [],
      }).catch((caught: grpc.ServiceError) => caught);
      expect(grpc.status[(error as grpc.ServiceError).code]).toBe("PERMISSION_DENIED");
    } finally {
      bff.close();
    }
  });
});
