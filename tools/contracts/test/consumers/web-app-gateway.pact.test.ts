import { MatchersV3 } from "@pact-foundation/pact";
import { createApiClients } from "@switchyard/web/api-clients";
import { describe, expect, it } from "vitest";
import {
  bearerFromState,
  customerIdFromState,
  examples,
  moneyLike,
  orderIdFromState,
  timestampLike,
  uuidLike,
} from "../../src/gateway/public-api-matchers.js";
import { thenMatchesRecorded } from "../../src/matches-recorded.js";
import { freshPact } from "../../src/pact-files.js";

// Consumer: the web app, through its REAL client code (web/src/api/clients.ts: Connect-Web over
// fetch, the bearer-token interceptor). It declares the calls its screens make and the fields they
// read: sign-up reads user.userId; the dashboard its profile, statistics and recent orders; the
// order page the order and its customer; place order the new order's id.
const pact = freshPact("web-app", "gateway");
const { like, eachLike, integer, regex } = MatchersV3;
// jsonBody() adds the JSON content type to the request and the response.
const connectJsonRequest = { "connect-protocol-version": "1" };
// The BFF's status words: the order page offers Cancel for "pending" and "confirmed".
const status = (example: string) => regex("^(pending|confirmed|shipped|cancelled)$", example);

const api = (baseUrl: string, token?: string) =>
  createApiClients({ baseUrl, accessToken: () => token });

describe("web app → gateway (Connect JSON)", () => {
  it("sign up: v2 RegisterUser answers the new user's id", async () => {
    await pact
      .addInteraction()
      .given("no user has signed up with the email", { email: "web.signup@example.com" })
      .uponReceiving("v2 RegisterUser from the sign-up screen")
      .withRequest("POST", "/switchyard.edge.v2.UserService/RegisterUser", (request) =>
        request
          .headers(connectJsonRequest)
          .jsonBody({ email: "web.signup@example.com", givenName: "Ada", familyName: "Lovelace" }),
      )
      .willRespondWith(200, (response) =>
        response.jsonBody({
          user: {
            userId: uuidLike(examples.customerId),
            email: like("web.signup@example.com"),
            givenName: like("Ada"),
            familyName: like("Lovelace"),
          },
        }),
      )
      .executeTest(
        thenMatchesRecorded(async (server) => {
          const { user } = await api(server.url).users.registerUser({
            email: "web.signup@example.com",
            givenName: "Ada",
            familyName: "Lovelace",
          });
          expect(user?.userId).toBe(examples.customerId);
        }),
      );
  });

  it("dashboard: GetDashboard answers the profile, statistics and recent orders", async () => {
    await pact
      .addInteraction()
      .given("a customer with an open order")
      .uponReceiving("GetDashboard for the signed-in customer")
      .withRequest("POST", "/switchyard.bff.web.v1.WebService/GetDashboard", (request) =>
        request.headers({ ...connectJsonRequest, authorization: bearerFromState }).jsonBody({}),
      )
      .willRespondWith(200, (response) =>
        response.jsonBody({
          profile: {
            customerId: uuidLike(examples.customerId),
            displayName: like("Ada Lovelace"),
            email: like("ada@example.com"),
            standing: like("active"),
          },
          recentOrders: eachLike({
            orderId: uuidLike(examples.orderId),
            status: status("pending"),
            total: moneyLike("25"),
            itemCount: integer(2),
            createTime: timestampLike("2026-11-26T07:00:00.000Z"),
          }),
          orderStats: {
            orderCount: regex("^[0-9]+$", "1"),
            openOrderCount: regex("^[0-9]+$", "1"),
            lifetimeTotals: eachLike(moneyLike("25")),
            lastOrderTime: timestampLike("2026-11-26T07:00:00.000Z"),
          },
        }),
      )
      .executeTest(
        thenMatchesRecorded(async (server) => {
          const dashboard = await api(server.url, examples.accessToken).web.getDashboard({});
          expect(dashboard.profile?.displayName).toBe("Ada Lovelace");
          expect(dashboard.recentOrders[0]?.orderId).toBe(examples.orderId);
          expect(dashboard.orderStats?.openOrderCount).toBe(1n);
          expect(dashboard.degradedSections).toEqual([]);
        }),
      );
  });

  it("place order: v2 PlaceOrder with an Idempotency-Key answers the new order", async () => {
    await pact
      .addInteraction()
      .given("a signed-up customer")
      .uponReceiving("v2 PlaceOrder from the place-order screen")
      .withRequest("POST", "/switchyard.edge.v2.OrderService/PlaceOrder", (request) =>
        request
          .headers({
            ...connectJsonRequest,
            authorization: bearerFromState,
            "idempotency-key": uuidLike("0d9c8b7a-6f5e-4d3c-8b2a-1f0e9d8c7b6a"),
          })
          .jsonBody({
            customerId: customerIdFromState,
            lines: [
              {
                sku: "tea-sencha",
                quantity: 2,
                unitPrice: { currencyCode: "EUR", units: "12", nanos: 500_000_000 },
              },
            ],
          }),
      )
      .willRespondWith(200, (response) =>
        response.jsonBody({
          order: {
            orderId: uuidLike(examples.orderId),
            status: regex("^ORDER_STATUS_PENDING$", "ORDER_STATUS_PENDING"),
            total: moneyLike("25"),
          },
        }),
      )
      .executeTest(
        thenMatchesRecorded(async (server) => {
          const { order } = await api(server.url, examples.accessToken).orders.placeOrder(
            {
              customerId: examples.customerId,
              lines: [
                {
                  sku: "tea-sencha",
                  quantity: 2,
                  unitPrice: { currencyCode: "EUR", units: 12n, nanos: 500_000_000 },
                },
              ],
            },
            { headers: { "Idempotency-Key": "0d9c8b7a-6f5e-4d3c-8b2a-1f0e9d8c7b6a" } },
          );
          expect(order?.orderId).toBe(examples.orderId);
        }),
      );
  });

  it("order page: GetOrderPage answers the order, its lines and its customer", async () => {
    await pact
      .addInteraction()
      .given("a customer with an open order")
      .uponReceiving("GetOrderPage for one of the customer's orders")
      .withRequest("POST", "/switchyard.bff.web.v1.WebService/GetOrderPage", (request) =>
        request
          .headers({ ...connectJsonRequest, authorization: bearerFromState })
          .jsonBody({ orderId: orderIdFromState }),
      )
      .willRespondWith(200, (response) =>
        response.jsonBody({
          order: {
            orderId: uuidLike(examples.orderId),
            status: status("pending"),
            items: eachLike({
              sku: like("tea-sencha"),
              quantity: integer(2),
              unitPrice: moneyLike("12"),
              lineTotal: moneyLike("25"),
            }),
            total: moneyLike("25"),
            createTime: timestampLike("2026-11-26T07:00:00.000Z"),
          },
          customer: { displayName: like("Ada Lovelace") },
        }),
      )
      .executeTest(
        thenMatchesRecorded(async (server) => {
          const page = await api(server.url, examples.accessToken).web.getOrderPage({
            orderId: examples.orderId,
          });
          expect(page.order?.items[0]?.sku).toBe("tea-sencha");
          expect(page.customer?.displayName).toBe("Ada Lovelace");
        }),
      );
  });

  it("cancel: v2 CancelOrder with a reason answers the cancelled order", async () => {
    await pact
      .addInteraction()
      .given("a customer with an open order")
      .uponReceiving("v2 CancelOrder from the order page")
      .withRequest("POST", "/switchyard.edge.v2.OrderService/CancelOrder", (request) =>
        request
          .headers({ ...connectJsonRequest, authorization: bearerFromState })
          .jsonBody({ orderId: orderIdFromState, reason: "changed my mind" }),
      )
      .willRespondWith(200, (response) =>
        response.jsonBody({
          order: {
            orderId: uuidLike(examples.orderId),
            status: regex("^ORDER_STATUS_CANCELLED$", "ORDER_STATUS_CANCELLED"),
          },
        }),
      )
      .executeTest(
        thenMatchesRecorded(async (server) => {
          const { order } = await api(server.url, examples.accessToken).orders.cancelOrder({
            orderId: examples.orderId,
            reason: "changed my mind",
          });
          expect(order?.orderId).toBe(examples.orderId);
        }),
      );
  });
});
