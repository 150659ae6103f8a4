import type { Order } from "@switchyard/contracts/grpc/switchyard/order/v1/order_service";
import { UserStatus } from "@switchyard/contracts/grpc/switchyard/user/v1/user_service";
import { callUnary } from "@switchyard/grpc-kit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type OrderServiceHarness, startOrderService } from "./support/order-service-harness.js";

let service: OrderServiceHarness;
beforeAll(async () => {
  service = await startOrderService();
});
afterAll(async () => service?.close());

async function placeMany(customerId: string, count: number): Promise<Order[]> {
  const placed: Order[] = [];
  // Sequential on purpose: several orders share a millisecond, which the order_id tiebreak must handle.
  for (let i = 0; i < count; i++) {
    placed.push(
      await service.placeOrder({
        customerId,
        currencyCode: "EUR",
        lines: [{ sku: `SKU-${i}`, quantity: 1, unitPriceMinor: BigInt(i), currencyCode: "" }],
      }),
    );
  }
  return placed;
}

const millis = (order: Order) =>
  Number(order.createTime?.seconds ?? 0n) * 1000 + (order.createTime?.nanos ?? 0) / 1e6;

describe("ListOrders", () => {
  it("lists 45 orders of one customer in 3 pages of up to 20, newest first, without dupes", async () => {
    const customerId = service.users.addUser(UserStatus.USER_STATUS_ACTIVE);
    const other = service.users.addUser(UserStatus.USER_STATUS_ACTIVE);
    const placed = await placeMany(customerId, 45);
    await placeMany(other, 3);

    const pages: Order[][] = [];
    let pageToken = "";
    do {
      const response = await callUnary(service.client.listOrders.bind(service.client), {
        customerId,
        pageSize: 20,
        pageToken,
      });
      pages.push(response.orders);
      pageToken = response.nextPageToken;
    } while (pageToken !== "" && pages.length < 10);

    expect(pages.map((page) => page.length)).toEqual([20, 20, 5]);
    const listed = pages.flat();
    expect(new Set(listed.map((o) => o.orderId)).size).toBe(45);
    expect(new Set(listed.map((o) => o.orderId))).toEqual(new Set(placed.map((o) => o.orderId)));
    expect(listed.every((o) => o.customerId === customerId)).toBe(true);
    const times = listed.map(millis);
    expect(times).toEqual([...times].sort((a, b) => b - a));
    // Full orders, lines included.
    expect(listed.every((o) => o.lines.length === 1)).toBe(true);
  });

  it("uses a page size of 20 when none is given and ends with an empty token", async () => {
    const customerId = service.users.addUser(UserStatus.USER_STATUS_ACTIVE);
    await placeMany(customerId, 21);
    const list = (pageToken: string) =>
      callUnary(service.client.listOrders.bind(service.client), {
        customerId,
        pageSize: 0,
        pageToken,
      });
    const first = await list("");
    expect(first.orders).toHaveLength(20);
    const second = await list(first.nextPageToken);
    expect(second.orders).toHaveLength(1);
    expect(second.nextPageToken).toBe("");
  });

  it("returns an empty page for a customer without orders", async () => {
    const response = await callUnary(service.client.listOrders.bind(service.client), {
      customerId: crypto.randomUUID(),
      pageSize: 5,
      pageToken: "",
    });
    expect(response).toEqual({ orders: [], nextPageToken: "" });
  });
});
