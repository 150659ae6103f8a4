import { Code, ConnectError } from "@connectrpc/connect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Backends, startBackends } from "./support/backends.js";
import { startWebBff, timed, type WebBffHarness } from "./support/web-bff-harness.js";

const budgetMs = 400;

describe("GetOrderPage", () => {
  let backends: Backends;
  let bff: WebBffHarness;

  beforeAll(async () => {
    backends = await startBackends();
    bff = await startWebBff({ ...backends, budgetMs });
  });
  afterAll(async () => {
    await bff?.close();
    await backends?.close();
  });

  it("shows the order with every line priced as Money, and its customer", async () => {
    const ada = await backends.registerUser("Ada", "Lovelace");
    const placed = await backends.placeOrder(ada.userId, [
      { sku: "tea", quantity: 3, unitPriceMinor: 1250n },
      { sku: "cups", quantity: 1, unitPriceMinor: 5n },
    ]);
    await backends.cancelOrder(placed.orderId, "changed my mind");

    const page = await bff.client.getOrderPage({ orderId: placed.orderId });

    expect(page.degradedSections).toEqual([]);
    expect(page.order).toMatchObject({
      orderId: placed.orderId,
      status: "cancelled",
      cancelReason: "changed my mind",
      total: { currencyCode: "EUR", units: 37n, nanos: 550_000_000 },
    });
    expect(page.order?.items).toEqual([
      expect.objectContaining({
        sku: "tea",
        quantity: 3,
        unitPrice: expect.objectContaining({ units: 12n, nanos: 500_000_000 }),
        lineTotal: expect.objectContaining({ units: 37n, nanos: 500_000_000 }),
      }),
      expect.objectContaining({
        sku: "cups",
        quantity: 1,
        unitPrice: expect.objectContaining({ units: 0n, nanos: 50_000_000 }),
      }),
    ]);
    expect(page.customer).toMatchObject({ customerId: ada.userId, displayName: "Ada Lovelace" });
  });

  it("fails with not_found for an unknown order", async () => {
    const error = await bff.client
      .getOrderPage({ orderId: "00000000-0000-4000-8000-000000000000" })
      .then(() => undefined, ConnectError.from);
    expect(error?.code).toBe(Code.NotFound);
    expect(error?.rawMessage).toBe("order 00000000-0000-4000-8000-000000000000 was not found");
  });

  it("rejects a malformed order_id with invalid_argument", async () => {
    const error = await bff.client
      .getOrderPage({ orderId: "42" })
      .then(() => undefined, ConnectError.from);
    expect(error?.code).toBe(Code.InvalidArgument);
    expect(error?.rawMessage).toBe('order_id: must be a UUID, got "42"');
  });

  // Last: it stops user-service for the rest of this file.
  it("with user-service down, shows the order with the customer degraded, within the budget", async () => {
    const grace = await backends.registerUser("Grace", "Hopper");
    const placed = await backends.placeOrder(grace.userId, [
      { sku: "compiler", quantity: 1, unitPriceMinor: 100_000n },
    ]);
    await backends.stopUserService();

    const { value: page, elapsedMs } = await timed(() =>
      bff.client.getOrderPage({ orderId: placed.orderId }),
    );

    expect(elapsedMs).toBeLessThan(budgetMs + 50);
    expect(page.order?.orderId).toBe(placed.orderId);
    expect(page.customer).toBeUndefined();
    expect(page.degradedSections).toEqual([
      expect.objectContaining({
        section: "customer",
        reason: "the customer is temporarily unavailable",
      }),
    ]);
  });
});
