import { OrderStatus } from "@switchyard/contracts/grpc/switchyard/order/v1/order_service";
import { UserStatus } from "@switchyard/contracts/grpc/switchyard/user/v1/user_service";
import { describe, expect, it } from "vitest";
import { toOrderDetail, toOrderRow, toOrderStats, toProfile } from "./screen-mapping.js";

const createTime = { seconds: 1_790_000_000n, nanos: 5 };

const order = {
  orderId: "o1",
  customerId: "c1",
  status: OrderStatus.ORDER_STATUS_CANCELLED,
  currencyCode: "JPY",
  lines: [
    { sku: "tea", quantity: 2, unitPriceMinor: 150n, lineTotalMinor: 300n },
    { sku: "cup", quantity: 1, unitPriceMinor: 1200n, lineTotalMinor: 1200n },
  ],
  totalMinor: 1500n,
  cancelReason: "too slow",
  version: 2n,
  createTime,
  updateTime: createTime,
};

describe("screen mapping", () => {
  it("turns a user into a profile card with one display name and a standing word", () => {
    const profile = toProfile({
      userId: "u1",
      email: "ada@example.com",
      givenName: "Ada",
      familyName: "",
      status: UserStatus.USER_STATUS_SUSPENDED,
      version: 1n,
      createTime,
    });
    expect(profile).toMatchObject({
      customerId: "u1",
      displayName: "Ada",
      email: "ada@example.com",
      standing: "suspended",
    });
  });

  it("prices rows and details as Money in the order's currency, counting items", () => {
    expect(toOrderRow(order)).toMatchObject({
      orderId: "o1",
      status: "cancelled",
      itemCount: 3,
      total: { currencyCode: "JPY", units: 1500n, nanos: 0 },
      createTime: { seconds: 1_790_000_000n, nanos: 5 },
    });
    const detail = toOrderDetail({ ...order, currencyCode: "KWD" });
    expect(detail.items[0]).toMatchObject({
      sku: "tea",
      unitPrice: { currencyCode: "KWD", units: 0n, nanos: 150_000_000 },
      lineTotal: { units: 0n, nanos: 300_000_000 },
    });
    expect(detail.total).toMatchObject({ units: 1n, nanos: 500_000_000 });
    expect(detail.cancelReason).toBe("too slow");
  });

  it("counts pending and confirmed orders as open, and totals per currency as Money", () => {
    const stats = toOrderStats({
      customerId: "c1",
      orderCount: 9n,
      countByStatus: [
        { status: OrderStatus.ORDER_STATUS_PENDING, count: 2n },
        { status: OrderStatus.ORDER_STATUS_CONFIRMED, count: 3n },
        { status: OrderStatus.ORDER_STATUS_SHIPPED, count: 3n },
        { status: OrderStatus.ORDER_STATUS_CANCELLED, count: 1n },
      ],
      lifetimeTotals: [
        { currencyCode: "EUR", totalMinor: 7_099n },
        { currencyCode: "JPY", totalMinor: 1_200n },
      ],
      lastOrderId: "o9",
      lastOrderTime: createTime,
    });
    expect(stats.orderCount).toBe(9n);
    expect(stats.openOrderCount).toBe(5n);
    expect(stats.lifetimeTotals).toEqual([
      expect.objectContaining({ currencyCode: "EUR", units: 70n, nanos: 990_000_000 }),
      expect.objectContaining({ currencyCode: "JPY", units: 1200n, nanos: 0 }),
    ]);
    expect(stats.lastOrderTime?.seconds).toBe(1_790_000_000n);
  });
});
