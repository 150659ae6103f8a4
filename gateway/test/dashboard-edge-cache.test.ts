import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { createTestTokenIssuer, type TestTokenIssuer } from "@switchyard/end-user-auth/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Backends, startBackends } from "./support/backends.js";
import { type JsonCall, postJson } from "./support/connect-json.js";
import {
  adminScopes,
  edgeCacheOn,
  type GatewayHarness,
  startGateway,
} from "./support/gateway-harness.js";
import { servedCalls } from "./support/served-calls.js";
import { untilEveryGateway } from "./support/until-every-gateway.js";

// The edge tier for GetDashboard (gateway/src/edge-cache/dashboard-edge-cache.ts): web-bff's
// answer kept per (caller, customer) — over the REAL gateway (two replicas) in front of the REAL
// web-bff, user-service and order-service, with real NATS (user and order events) and Postgres.
// What reached web-bff is read from its own RED series (rpc.server.call.duration).

const v2Users = "switchyard.edge.v2.UserService";
const v2Orders = "switchyard.edge.v2.OrderService";
const web = "switchyard.bff.web.v1.WebService";

/** The tier's second drop: a replica that reloaded before its sources heard of a change. */
const settleMs = 250;
/**
 * What the tests assert: every replica serves a change well inside the 60 s TTL they run with,
 * so only a drop (an event, a write) explains it. On a quiet machine it takes 36–135 ms (the
 * numbers are printed); a dashboard depends on the outbox relay, NATS and three processes, and
 * at load average 16 on 2 cores it took up to ~1 s — an exact bound here would test the machine.
 */
const servedWithinMs = 2_000;

let backends: Backends;
let tokens: TestTokenIssuer;
let first: GatewayHarness;
let second: GatewayHarness;
let customerId = "";
let asCustomer: Record<string, string> = {};

/** GetDashboard calls web-bff has answered so far (any status), from its /metrics. */
const dashboardsAtBff = () =>
  servedCalls(backends.webBffMetricsUrl ?? "", {
    service: "switchyard.bff.web.v1.WebService",
    method: "GetDashboard",
  });

const dashboard = (
  gateway: GatewayHarness,
  headers = asCustomer,
  request: Record<string, string> = {},
): Promise<JsonCall> => postJson(gateway.baseUrl, `${web}/GetDashboard`, request, headers);

async function placeOrder(gateway: GatewayHarness, sku: string): Promise<string> {
  const placed = await postJson(
    gateway.baseUrl,
    `${v2Orders}/PlaceOrder`,
    { customerId, lines: [{ sku, quantity: 1, unitPrice: { currencyCode: "EUR", units: "3" } }] },
    { ...asCustomer, "idempotency-key": randomUUID() },
  );
  expect(placed.status, placed.text).toBe(200);
  return placed.body.order.orderId;
}

/** Past the second drop of the last change (it would cancel a load in flight: a second load). */
const settled = () => sleep(settleMs + 50);

const orderIdsOf = (answer: JsonCall): string[] =>
  (answer.body?.recentOrders ?? []).map((row: { orderId: string }) => row.orderId);

beforeAll(async () => {
  tokens = await createTestTokenIssuer();
  backends = await startBackends({ webBff: { tokens, events: true } });
  const gatewayWith = () =>
    startGateway(
      {
        "user-service": backends.userServiceTarget,
        "order-service": backends.orderServiceTarget,
        "web-bff": backends.webBffTarget,
      },
      {
        identity: backends.gatewayIdentity,
        tokens,
        // A minute of freshness: only an event or a write can explain a change seen sooner.
        env: {
          NATS_URL: backends.nats.url,
          EVENTS_NAMESPACE: backends.nats.prefix,
          DASHBOARD_CACHE_TTL_MS: "60000",
          DASHBOARD_CACHE_SETTLE_MS: String(settleMs),
        },
      },
    );
  [first, second] = [await gatewayWith(), await gatewayWith()];
  await Promise.all([edgeCacheOn(first), edgeCacheOn(second)]);
  const registered = await postJson(first.baseUrl, `${v2Users}/RegisterUser`, {
    email: `dashboard.${Date.now().toString(36)}@example.com`,
    givenName: "Ada",
    familyName: "Lovelace",
  });
  expect(registered.status, registered.text).toBe(200);
  customerId = registered.body.user.userId;
  asCustomer = await first.auth(customerId);
  await placeOrder(first, "TEA-1");
  await settled();
}, 120_000);
afterAll(async () => {
  await Promise.all([first?.close(), second?.close()]);
  await backends?.close();
  tokens?.remove();
});

describe("the gateway's edge tier for GetDashboard (real gateway, web-bff, services, NATS, Postgres)", () => {
  it("a second dashboard of the same caller is answered without reaching web-bff; the same page", async () => {
    const before = await dashboardsAtBff();
    const firstRead = await dashboard(first);
    expect(firstRead.status, firstRead.text).toBe(200);
    expect(firstRead.body.degradedSections ?? []).toEqual([]);
    expect(orderIdsOf(firstRead)).toHaveLength(1);
    // Asking for one's own dashboard by id is the same dashboard: the same entry.
    const again = await dashboard(first, asCustomer, { customerId });
    expect(again.status, again.text).toBe(200);
    expect(again.body).toEqual(firstRead.body);
    expect(await dashboardsAtBff()).toBe(before + 1);
  });

  it("another caller never gets the customer's entry: a stranger is refused by web-bff, an admin gets a load of their own", async () => {
    expect((await dashboard(first)).status).toBe(200); // the customer's entry is warm
    const before = await dashboardsAtBff();
    const stranger = await first.auth(randomUUID());
    for (let i = 0; i < 2; i++) {
      const denied = await dashboard(first, stranger, { customerId });
      expect(denied.status, denied.text).toBe(403);
      expect(denied.body.code).toBe("permission_denied");
    }
    const admin = await dashboard(first, await first.auth(randomUUID(), adminScopes), {
      customerId,
    });
    expect(admin.status, admin.text).toBe(200);
    expect(admin.body.profile.customerId).toBe(customerId);
    // Both denials and the admin's first read went to web-bff: nothing was shared.
    expect(await dashboardsAtBff()).toBe(before + 3);
  });

  it(`an order placed through one replica: that replica shows it at once, the other after its order event (within ${servedWithinMs} ms, TTL 60 s)`, async () => {
    const [byFirst, bySecond] = [await dashboard(first), await dashboard(second)];
    expect(orderIdsOf(byFirst)).toEqual(orderIdsOf(bySecond));
    const before = await dashboardsAtBff();
    expect(orderIdsOf(await dashboard(second))).toEqual(orderIdsOf(bySecond)); // a hit
    expect(await dashboardsAtBff()).toBe(before);

    const orderId = await placeOrder(first, "TEA-2");
    const since = Date.now();
    // The writer dropped its entries when PlaceOrder answered: its next dashboard has the order.
    expect(orderIdsOf(await dashboard(first))).toContain(orderId);
    const servedAfter = await untilEveryGateway(
      [first, second],
      (gateway) => dashboard(gateway),
      (answer) => orderIdsOf(answer).includes(orderId),
      since,
    );
    console.log(
      `[dashboard edge cache] new order served by [writer, other] after: ${servedAfter.join(", ")} ms`,
    );
    for (const ms of servedAfter) expect(ms).toBeLessThanOrEqual(servedWithinMs);
  });

  it(`a profile updated through one replica is on both replicas' dashboards after its event (within ${servedWithinMs} ms, TTL 60 s)`, async () => {
    const [byFirst] = [await dashboard(first), await dashboard(second)];
    expect(byFirst.body.profile.displayName).toContain("Lovelace");
    const user = await postJson(
      first.baseUrl,
      `${v2Users}/GetUser`,
      { userId: customerId },
      asCustomer,
    );
    const updated = await postJson(
      first.baseUrl,
      `${v2Users}/UpdateUser`,
      { userId: customerId, givenName: "Ada", familyName: "King", etag: user.body.user.etag },
      asCustomer,
    );
    expect(updated.status, updated.text).toBe(200);
    const since = Date.now();
    const servedAfter = await untilEveryGateway(
      [first, second],
      (gateway) => dashboard(gateway),
      (answer) => String(answer.body?.profile?.displayName).includes("King"),
      since,
    );
    console.log(
      `[dashboard edge cache] new profile served by [writer, other] after: ${servedAfter.join(", ")} ms`,
    );
    for (const ms of servedAfter) expect(ms).toBeLessThanOrEqual(servedWithinMs);
  });

  it("a degraded dashboard (user-service down) is answered but not kept: the next one asks web-bff again", async () => {
    await settled();
    await backends.stopUserService();
    const cold = await first.auth(customerId, ["orders:read"]); // a caller with no entry yet
    const before = await dashboardsAtBff();
    for (let i = 0; i < 2; i++) {
      const degraded = await dashboard(first, cold);
      expect(degraded.status, degraded.text).toBe(200);
      const sections = degraded.body.degradedSections.map((s: { section: string }) => s.section);
      expect(sections).toEqual(["profile"]);
    }
    expect(await dashboardsAtBff()).toBe(before + 2);
  });
});
