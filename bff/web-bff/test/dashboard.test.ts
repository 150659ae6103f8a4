import { Code, ConnectError } from "@connectrpc/connect";
import { BadRequestSchema } from "@switchyard/contracts/connect/google/rpc/error_details_pb";
import type { OrderStats } from "@switchyard/contracts/connect/switchyard/bff/web/v1/web_service_pb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Backends, startBackends } from "./support/backends.js";
import { startWebBff, type WebBffHarness } from "./support/web-bff-harness.js";

describe("GetDashboard", () => {
  let backends: Backends;
  let bff: WebBffHarness;

  beforeAll(async () => {
    backends = await startBackends();
    bff = await startWebBff({ ...backends, budgetMs: 2_000, recentOrders: 3 });
  });
  afterAll(async () => {
    await bff?.close();
    await backends?.close();
  });

  /**
   * The dashboard's statistics once every event so far has gone through the outbox, NATS and
   * order-service's projection consumers: from then on they must match the writes exactly, so a
   * projection that stopped updating shows as wrong figures.
   */
  async function statsAfterProjections(customerId: string): Promise<OrderStats | undefined> {
    await backends.waitForProjections();
    const dashboard = await bff.client.getDashboard({ customerId });
    expect(dashboard.degradedSections).toEqual([]);
    return dashboard.orderStats;
  }

  it("aggregates the profile, the most recent orders and the order statistics", async () => {
    const ada = await backends.registerUser("Ada", "Lovelace");
    const first = await backends.placeOrder(ada.userId, [
      { sku: "tea", quantity: 2, unitPriceMinor: 1250n },
    ]);
    await backends.placeOrder(ada.userId, [{ sku: "cups", quantity: 1, unitPriceMinor: 999n }]);
    await backends.placeOrder(ada.userId, [{ sku: "pot", quantity: 1, unitPriceMinor: 4000n }]);
    const last = await backends.placeOrder(ada.userId, [
      { sku: "lamp", quantity: 1, unitPriceMinor: 1500n },
      { sku: "bulb", quantity: 3, unitPriceMinor: 200n },
    ]);
    await backends.placeOrder(
      ada.userId,
      [{ sku: "noodles", quantity: 4, unitPriceMinor: 300n }],
      "JPY",
    );
    await backends.cancelOrder(first.orderId, "changed my mind");

    const dashboard = await bff.client.getDashboard({ customerId: ada.userId });

    expect(dashboard.degradedSections).toEqual([]);
    expect(dashboard.profile).toMatchObject({
      customerId: ada.userId,
      displayName: "Ada Lovelace",
      email: ada.email,
      standing: "active",
    });
    // RECENT_ORDERS = 3: the three newest, newest first.
    expect(dashboard.recentOrders.map((row) => row.itemCount)).toEqual([4, 4, 1]);
    const lampRow = dashboard.recentOrders.find((row) => row.orderId === last.orderId);
    expect(lampRow).toMatchObject({ status: "pending", itemCount: 4 });
    expect(lampRow?.total).toMatchObject({ currencyCode: "EUR", units: 21n, nanos: 0 });
    expect(dashboard.recentOrders[0]?.total).toMatchObject({
      currencyCode: "JPY",
      units: 1200n,
      nanos: 0,
    });
    expect(lampRow?.createTime?.seconds).toBeGreaterThan(0n);

    // Statistics come from order-service's summary read model, fed by order events through
    // the outbox, NATS and the projection consumers (the real ones): it lags the orders table,
    // so wait until the events are through, then check every figure.
    const stats = await statsAfterProjections(ada.userId);
    expect(stats).toMatchObject({ orderCount: 5n, openOrderCount: 4n });
    // Cancelled orders are not in the totals: 999 + 4000 + 2100 EUR cents, 1200 JPY.
    expect(
      stats?.lifetimeTotals.map((money) => [money.currencyCode, money.units, money.nanos]),
    ).toEqual([
      ["EUR", 70n, 990_000_000],
      ["JPY", 1200n, 0],
    ]);
    expect(stats?.lastOrderTime?.seconds).toBeGreaterThan(0n);
  });

  it("keeps the statistics moving: a new order and a cancellation reach the dashboard", async () => {
    const ada = await backends.registerUser("Ada", "Byron");
    await backends.placeOrder(ada.userId, [{ sku: "tea", quantity: 1, unitPriceMinor: 500n }]);
    const first = await statsAfterProjections(ada.userId);
    expect(first).toMatchObject({ orderCount: 1n, openOrderCount: 1n });
    expect(first?.lifetimeTotals.map((money) => money.units)).toEqual([5n]);

    // Each later write must show up too: a projection that stopped after the first event fails.
    const second = await backends.placeOrder(ada.userId, [
      { sku: "pot", quantity: 1, unitPriceMinor: 4000n },
    ]);
    const placed = await statsAfterProjections(ada.userId);
    expect(placed).toMatchObject({ orderCount: 2n, openOrderCount: 2n });
    expect(placed?.lifetimeTotals.map((money) => money.units)).toEqual([45n]);
    await backends.cancelOrder(second.orderId, "changed my mind");
    const last = await statsAfterProjections(ada.userId);
    expect(last).toMatchObject({ orderCount: 2n, openOrderCount: 1n });
    expect(last?.lifetimeTotals.map((money) => money.units)).toEqual([5n]);
  });

  it("shows a customer without orders with empty sections, not degraded ones", async () => {
    const grace = await backends.registerUser("Grace", "Hopper");
    const dashboard = await bff.client.getDashboard({ customerId: grace.userId });
    expect(dashboard.profile?.displayName).toBe("Grace Hopper");
    expect(dashboard.recentOrders).toEqual([]);
    expect(dashboard.orderStats?.orderCount).toBe(0n);
    expect(dashboard.degradedSections).toEqual([]);
  });

  it("fails the whole call with not_found for an unknown customer", async () => {
    const error = await bff.client
      .getDashboard({ customerId: "00000000-0000-4000-8000-000000000000" })
      .then(() => undefined, ConnectError.from);
    expect(error?.code).toBe(Code.NotFound);
    expect(error?.rawMessage).toBe("customer 00000000-0000-4000-8000-000000000000 was not found");
  });

  it("rejects a malformed customer_id with invalid_argument naming the field", async () => {
    const error = await bff.client
      .getDashboard({ customerId: "not-a-uuid" })
      .then(() => undefined, ConnectError.from);
    expect(error?.code).toBe(Code.InvalidArgument);
    const fields = error
      ?.findDetails(BadRequestSchema)
      .flatMap((detail) => detail.fieldViolations.map((violation) => violation.field));
    expect(fields).toEqual(["customer_id"]);
  });
});
