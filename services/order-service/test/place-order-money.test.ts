import * as grpc from "@grpc/grpc-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  badRequestFields,
  grpcError,
  type OrderServiceHarness,
  startOrderService,
} from "./support/order-service-harness.js";

let service: OrderServiceHarness;
beforeAll(async () => {
  service = await startOrderService();
});
afterAll(async () => service?.close());

const maxInt64 = 2n ** 63n - 1n;

describe("money on the wire and in Postgres", () => {
  it("computes exact totals for large values (3 lines of 9,999 × 999,999,999)", async () => {
    const line = { sku: "BIG", quantity: 9_999, unitPriceMinor: 999_999_999n, currencyCode: "JPY" };
    const order = await service.placeOrder({
      customerId: service.users.activeUserId,
      currencyCode: "JPY",
      lines: [line, line, line],
    });
    expect(order.lines.map((l) => l.lineTotalMinor)).toEqual([
      9_998_999_990_001n,
      9_998_999_990_001n,
      9_998_999_990_001n,
    ]);
    expect(order.totalMinor).toBe(29_996_999_970_003n);
    // Stored as bigint, not rounded through a double on the way in or out.
    const [row] = await service.database.sql`
      select total_minor::text as total from orders where order_id = ${order.orderId}`;
    expect(row?.total).toBe("29996999970003");
  });

  it("accepts a total of exactly 2^63-1 minor units", async () => {
    const order = await service.placeOrder({
      customerId: service.users.activeUserId,
      currencyCode: "EUR",
      lines: [
        { sku: "A", quantity: 1, unitPriceMinor: maxInt64 - 1n, currencyCode: "" },
        { sku: "B", quantity: 1, unitPriceMinor: 1n, currencyCode: "" },
      ],
    });
    expect(order.totalMinor).toBe(maxInt64);
  });

  it("rejects a total one above 2^63-1 with INVALID_ARGUMENT and stores nothing", async () => {
    const before = await service.counts();
    const error = await grpcError(
      service.placeOrder({
        customerId: service.users.activeUserId,
        currencyCode: "EUR",
        lines: [
          { sku: "A", quantity: 1, unitPriceMinor: maxInt64, currencyCode: "" },
          { sku: "B", quantity: 1, unitPriceMinor: 1n, currencyCode: "" },
        ],
      }),
    );
    expect(error.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(badRequestFields(error)).toEqual(["lines"]);
    expect(error.details).toMatch(/order total exceeds the maximum of 9223372036854775807/);
    expect(await service.counts()).toEqual(before);
  });

  it("rejects a single line whose total overflows, naming the line", async () => {
    const error = await grpcError(
      service.placeOrder({
        customerId: service.users.activeUserId,
        currencyCode: "EUR",
        lines: [
          { sku: "A", quantity: 10_000, unitPriceMinor: maxInt64 / 5_000n, currencyCode: "" },
        ],
      }),
    );
    expect(error.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(badRequestFields(error)).toEqual(["lines[0].unit_price_minor"]);
  });
});
