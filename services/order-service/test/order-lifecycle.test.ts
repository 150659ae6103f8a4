import * as grpc from "@grpc/grpc-js";
import {
  OrderStatus,
  type PlaceOrderRequest,
} from "@switchyard/contracts/grpc/switchyard/order/v1/order_service";
import { callUnary } from "@switchyard/grpc-kit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  grpcError,
  type OrderServiceHarness,
  startOrderService,
} from "./support/order-service-harness.js";

let service: OrderServiceHarness;
beforeAll(async () => {
  service = await startOrderService();
});
afterAll(async () => service?.close());

const request = (): PlaceOrderRequest => ({
  customerId: service.users.activeUserId,
  currencyCode: "EUR",
  lines: [
    { sku: "TEA-GREEN", quantity: 3, unitPriceMinor: 450n, currencyCode: "EUR" },
    { sku: "MUG_1", quantity: 1, unitPriceMinor: 1_299n, currencyCode: "" },
  ],
});

describe("order lifecycle over gRPC", () => {
  it("place → get → confirm → ship", async () => {
    const { client } = service;
    const placed = await service.placeOrder(request());
    expect(placed.status).toBe(OrderStatus.ORDER_STATUS_PENDING);
    expect(placed.customerId).toBe(service.users.activeUserId);
    expect(placed.lines.map((l) => l.lineTotalMinor)).toEqual([1_350n, 1_299n]);
    expect(placed.totalMinor).toBe(2_649n);
    expect(placed.version).toBe(1n);
    expect(placed.createTime?.seconds).toBeGreaterThan(0n);

    const { order: got } = await callUnary(client.getOrder.bind(client), {
      orderId: placed.orderId,
    });
    expect(got).toEqual(placed);

    const { order: confirmed } = await callUnary(client.confirmOrder.bind(client), {
      orderId: placed.orderId,
    });
    expect(confirmed?.status).toBe(OrderStatus.ORDER_STATUS_CONFIRMED);
    expect(confirmed?.version).toBe(2n);

    const { order: shipped } = await callUnary(client.shipOrder.bind(client), {
      orderId: placed.orderId,
    });
    expect(shipped?.status).toBe(OrderStatus.ORDER_STATUS_SHIPPED);
    expect(shipped?.version).toBe(3n);
    expect(shipped?.lines).toEqual(placed.lines);
  });

  it("cancel from SHIPPED is rejected with FAILED_PRECONDITION naming both states", async () => {
    const { client } = service;
    const { orderId } = await service.placeOrder(request());
    await callUnary(client.confirmOrder.bind(client), { orderId });
    await callUnary(client.shipOrder.bind(client), { orderId });

    const error = await grpcError(
      callUnary(client.cancelOrder.bind(client), { orderId, reason: "too late" }),
    );
    expect(error.code).toBe(grpc.status.FAILED_PRECONDITION);
    expect(error.details).toBe("cannot move order from SHIPPED to CANCELLED");

    const { order } = await callUnary(client.getOrder.bind(client), { orderId });
    expect(order?.status).toBe(OrderStatus.ORDER_STATUS_SHIPPED);
    expect(order?.cancelReason).toBe("");
  });

  it("cancel from PENDING works and stores the reason", async () => {
    const { client } = service;
    const { orderId } = await service.placeOrder(request());
    const { order: cancelled } = await callUnary(client.cancelOrder.bind(client), {
      orderId,
      reason: "customer changed their mind",
    });
    expect(cancelled?.status).toBe(OrderStatus.ORDER_STATUS_CANCELLED);
    const { order } = await callUnary(client.getOrder.bind(client), { orderId });
    expect(order?.cancelReason).toBe("customer changed their mind");
    expect(order?.status).toBe(OrderStatus.ORDER_STATUS_CANCELLED);
  });

  it("shipping a PENDING order or confirming twice is FAILED_PRECONDITION", async () => {
    const { client } = service;
    const { orderId } = await service.placeOrder(request());
    const ship = await grpcError(callUnary(client.shipOrder.bind(client), { orderId }));
    expect(ship.code).toBe(grpc.status.FAILED_PRECONDITION);
    expect(ship.details).toBe("cannot move order from PENDING to SHIPPED");
    await callUnary(client.confirmOrder.bind(client), { orderId });
    const again = await grpcError(callUnary(client.confirmOrder.bind(client), { orderId }));
    expect(again.details).toBe("cannot move order from CONFIRMED to CONFIRMED");
  });

  it("echoes the request id in the trailers and logs the rejection under it", async () => {
    const { client } = service;
    const metadata = new grpc.Metadata();
    metadata.set("x-request-id", "lifecycle-test-1");
    const orderId = crypto.randomUUID();
    const error = await grpcError(
      callUnary(client.confirmOrder.bind(client), { orderId }, { metadata }),
    );
    expect(error.code).toBe(grpc.status.NOT_FOUND);
    expect(error.metadata.get("x-request-id")).toEqual(["lifecycle-test-1"]);
    expect(
      service.logLines.some((line) => line.includes("lifecycle-test-1") && line.includes(orderId)),
    ).toBe(true);
  });
});
