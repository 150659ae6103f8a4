import * as grpc from "@grpc/grpc-js";
import {
  type Order,
  OrderServiceClient,
} from "@switchyard/contracts/grpc/switchyard/order/v1/order_service";
import { UserStatus } from "@switchyard/contracts/grpc/switchyard/user/v1/user_service";
import { callUnary, endUserMetadata } from "@switchyard/grpc-kit";
import { testClient, testIdentity } from "@switchyard/service-host/testing";
import { uniqueName } from "@switchyard/testing";
import type { WorkloadIdentity } from "@switchyard/workload-identity";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  grpcError,
  type OrderServiceHarness,
  startOrderService,
} from "./support/order-service-harness.js";
import type { UserServiceStub } from "./support/user-service-stub-server.js";

// order-service as main.ts runs it, with THE access policy (no test caller): mTLS, the real
// authorization interceptor, and end users asserted by the gateway's and web-bff's identities.

const admin = ["switchyard:admin"];
let service: OrderServiceHarness;
let identities: WorkloadIdentity[] = [];
let stub: UserServiceStub;
let gateway: OrderServiceClient;
let bff: OrderServiceClient;
let ada = "";
let grace = "";
let adasOrder: Order;

const as = (subject: string, scopes: string[] = [], extra: Record<string, string> = {}) => {
  const metadata = endUserMetadata({ subject, scopes });
  for (const [key, value] of Object.entries(extra)) metadata.set(key, value);
  return { metadata };
};

beforeAll(async () => {
  service = await startOrderService({ policy: "production", customerLookupDeadlineMs: 2_000 });
  stub = service.users;
  const client = (workload: string) => {
    const identity = testIdentity(service.certs, workload);
    identities.push(identity);
    return testClient(OrderServiceClient, {
      target: service.running.target,
      server: "order-service",
      identity,
    });
  };
  gateway = client("gateway");
  bff = client("web-bff");
  ada = stub.addUser(UserStatus.USER_STATUS_ACTIVE);
  grace = stub.addUser(UserStatus.USER_STATUS_ACTIVE);
  const placed = await callUnary(
    gateway.placeOrder.bind(gateway),
    {
      customerId: ada,
      currencyCode: "EUR",
      lines: [{ sku: "TEA-1", quantity: 1, unitPriceMinor: 500n, currencyCode: "" }],
    },
    as(ada, [], { "idempotency-key": uniqueName("key") }),
  );
  if (placed.order === undefined) throw new Error("no order");
  adasOrder = placed.order;
});

afterAll(async () => {
  gateway?.close();
  bff?.close();
  for (const created of identities) created.close();
  identities = [];
  await service?.close();
});

describe("order ownership (end user asserted by the edge)", () => {
  it("a user reads their own order, lists their orders and sees their summary", async () => {
    const { order } = await callUnary(
      gateway.getOrder.bind(gateway),
      { orderId: adasOrder.orderId },
      as(ada),
    );
    expect(order?.customerId).toBe(ada);
    const list = await callUnary(
      bff.listOrders.bind(bff),
      { customerId: ada, pageSize: 10, pageToken: "" },
      as(ada),
    );
    expect(list.orders.map((o) => o.orderId)).toEqual([adasOrder.orderId]);
    await callUnary(bff.getCustomerOrderSummary.bind(bff), { customerId: ada }, as(ada));
  });

  it("another user's order and a missing order are both PERMISSION_DENIED to a user (AIP-211)", async () => {
    const foreign = await grpcError(
      callUnary(gateway.getOrder.bind(gateway), { orderId: adasOrder.orderId }, as(grace)),
    );
    const missing = await grpcError(
      callUnary(
        gateway.getOrder.bind(gateway),
        { orderId: "00000000-0000-4000-8000-000000000000" },
        as(grace),
      ),
    );
    expect(grpc.status[foreign.code]).toBe("PERMISSION_DENIED");
    expect(foreign.details).toBe(`the authenticated user may not read order ${adasOrder.orderId}`);
    expect(grpc.status[missing.code]).toBe("PERMISSION_DENIED");
  });

  it("an admin reads anyone's order, and sees NOT_FOUND for a missing one", async () => {
    const { order } = await callUnary(
      gateway.getOrder.bind(gateway),
      { orderId: adasOrder.orderId },
      as(grace, admin),
    );
    expect(order?.orderId).toBe(adasOrder.orderId);
    const missing = await grpcError(
      callUnary(
        gateway.getOrder.bind(gateway),
        { orderId: "00000000-0000-4000-8000-000000000000" },
        as(grace, admin),
      ),
    );
    expect(grpc.status[missing.code]).toBe("NOT_FOUND");
    await callUnary(
      bff.listOrders.bind(bff),
      { customerId: ada, pageSize: 10, pageToken: "" },
      as(grace, admin),
    );
  });

  it("refuses listing, summarising, ordering for and cancelling another customer's orders", async () => {
    const refusals = await Promise.all([
      grpcError(
        callUnary(
          bff.listOrders.bind(bff),
          { customerId: ada, pageSize: 10, pageToken: "" },
          as(grace),
        ),
      ),
      grpcError(callUnary(bff.getCustomerOrderSummary.bind(bff), { customerId: ada }, as(grace))),
      grpcError(
        callUnary(
          gateway.placeOrder.bind(gateway),
          {
            customerId: ada,
            currencyCode: "EUR",
            lines: [{ sku: "X", quantity: 1, unitPriceMinor: 1n, currencyCode: "" }],
          },
          as(grace, admin, { "idempotency-key": uniqueName("key") }),
        ),
      ),
      grpcError(
        callUnary(
          gateway.cancelOrder.bind(gateway),
          { orderId: adasOrder.orderId, reason: "not mine" },
          as(grace, admin),
        ),
      ),
    ]);
    expect(refusals.map((error) => grpc.status[error.code])).toEqual([
      "PERMISSION_DENIED",
      "PERMISSION_DENIED",
      "PERMISSION_DENIED",
      "PERMISSION_DENIED",
    ]);
    const { order } = await callUnary(
      gateway.getOrder.bind(gateway),
      { orderId: adasOrder.orderId },
      as(ada),
    );
    expect(order?.status).toBe(adasOrder.status);
  });

  it("the owner cancels their own order", async () => {
    const { order } = await callUnary(
      gateway.cancelOrder.bind(gateway),
      { orderId: adasOrder.orderId, reason: "changed my mind" },
      as(ada),
    );
    expect(order?.cancelReason).toBe("changed my mind");
  });

  it("a call from the edge without an end user is UNAUTHENTICATED", async () => {
    const error = await grpcError(
      callUnary(gateway.getOrder.bind(gateway), { orderId: adasOrder.orderId }),
    );
    expect(grpc.status[error.code]).toBe("UNAUTHENTICATED");
  });
});
