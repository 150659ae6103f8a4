import { Code, ConnectError } from "@connectrpc/connect";
import { BadRequestSchema } from "@switchyard/contracts/connect/google/rpc/error_details_pb";
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

    // Statistics come from order-service's summary read model, which is fed by order events
    // and may lag the orders table: the dashboard shows what order-service says right now.
    const summary = await backends.orderSummary(ada.userId);
    const stats = dashboard.orderStats;
    expect(stats).toBeDefined();
    expect(stats?.orderCount).toBe(summary.orderCount);
    expect(stats?.lifetimeTotals.map((money) => money.currencyCode)).toEqual(
      summary.lifetimeTotals.map((total) => total.currencyCode),
    );
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
