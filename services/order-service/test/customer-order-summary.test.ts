import * as grpc from "@grpc/grpc-js";
import { OrderStatus } from "@switchyard/contracts/grpc/switchyard/order/v1/order_service";
import { UserStatus } from "@switchyard/contracts/grpc/switchyard/user/v1/user_service";
import { callUnary } from "@switchyard/grpc-kit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  grpcError,
  type OrderServiceHarness,
  startOrderService,
} from "./support/order-service-harness.js";

let service: OrderServiceHarness;
beforeAll(async () => {
  // The summary is a read model fed by order-service's own events: relay and consumers run.
  service = await startOrderService();
});
afterAll(async () => service?.close());

const summaryOf = (customerId: string) =>
  callUnary(service.client.getCustomerOrderSummary.bind(service.client), { customerId });

describe("GetCustomerOrderSummary", () => {
  it("counts orders by status and totals non-cancelled orders per currency", async () => {
    const customerId = service.users.addUser(UserStatus.USER_STATUS_ACTIVE);
    const place = (currencyCode: string, unitPriceMinor: bigint, quantity: number) =>
      service.placeOrder({
        customerId,
        currencyCode,
        lines: [{ sku: "SKU-1", quantity, unitPriceMinor, currencyCode: "" }],
      });
    await place("EUR", 1999n, 2); // 3998
    await place("EUR", 500n, 1); // 500
    const cancelled = await place("EUR", 100_000n, 1);
    const last = await place("JPY", 1200n, 3); // 3600
    await callUnary(service.client.cancelOrder.bind(service.client), {
      orderId: cancelled.orderId,
      reason: "changed my mind",
    });

    await service.events.waitForReadModels();
    const { summary } = await summaryOf(customerId);
    expect(summary?.orderCount).toBe(4n);
    const counts = Object.fromEntries(
      (summary?.countByStatus ?? []).map((entry) => [OrderStatus[entry.status], entry.count]),
    );
    expect(counts).toEqual({
      ORDER_STATUS_PENDING: 3n,
      ORDER_STATUS_CONFIRMED: 0n,
      ORDER_STATUS_SHIPPED: 0n,
      ORDER_STATUS_CANCELLED: 1n,
    });
    expect(summary?.lifetimeTotals).toEqual([
      { currencyCode: "EUR", totalMinor: 4498n },
      { currencyCode: "JPY", totalMinor: 3600n },
    ]);
    expect(summary?.lastOrderId).toBe(last.orderId);
  });

  it("answers zeros for a customer without orders and INVALID_ARGUMENT for a malformed id", async () => {
    const customerId = service.users.addUser(UserStatus.USER_STATUS_ACTIVE);
    const { summary } = await summaryOf(customerId);
    expect(summary?.orderCount).toBe(0n);
    expect(summary?.lifetimeTotals).toEqual([]);
    expect(summary?.lastOrderId).toBe("");

    const error = await grpcError(summaryOf("not-a-uuid"));
    expect(error.code).toBe(grpc.status.INVALID_ARGUMENT);
  });
});
