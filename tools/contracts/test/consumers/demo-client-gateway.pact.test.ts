import { MatchersV3 } from "@pact-foundation/pact";
import { type ConnectCallOptions, callConnectJson } from "@switchyard/load";
import { describe, expect, it } from "vitest";
import {
  bearerFromState,
  customerIdFromState,
  examples,
  getMessageFromState,
  orderIdFromState,
  uuidLike,
} from "../../src/gateway/public-api-matchers.js";
import { thenMatchesRecorded } from "../../src/matches-recorded.js";
import { freshPact } from "../../src/pact-files.js";

// Consumer: the demo client (`npm run demo`, tools/load), through its REAL client code
// (`callConnectJson`: Connect JSON over fetch, POST and the Connect GET form). Its journey reads
// only ids from answers (user.userId, order.orderId, orders[].orderId) and the error code of the
// bad requests it sends on purpose; that is all it declares.
const pact = freshPact("demo-client", "gateway");
const { like, eachLike, regex } = MatchersV3;
const connect = { "connect-protocol-version": "1" };
const v1 = { users: "switchyard.edge.v1.UserService", orders: "switchyard.edge.v1.OrderService" };
const v2 = { users: "switchyard.edge.v2.UserService", orders: "switchyard.edge.v2.OrderService" };
const idempotencyKey = "1e2d3c4b-5a69-4788-9a0b-c1d2e3f4a5b6";
const auth = { authorization: `Bearer ${examples.accessToken}` };

function call<T>(url: string, procedure: string, body: unknown, options: ConnectCallOptions = {}) {
  return callConnectJson<T>(url, procedure, body, options);
}

describe("demo client → gateway (Connect JSON v1 and v2)", () => {
  it("v1 RegisterUser with a full name answers the user id", async () => {
    await pact
      .addInteraction()
      .given("no user has signed up with the email", { email: "demo.v1@example.com" })
      .uponReceiving("v1 RegisterUser from the demo")
      .withRequest("POST", `/${v1.users}/RegisterUser`, (request) =>
        request
          .headers(connect)
          .jsonBody({ email: "demo.v1@example.com", fullName: "Grace Hopper" }),
      )
      .willRespondWith(200, (response) =>
        response.jsonBody({ user: { userId: uuidLike(examples.customerId) } }),
      )
      .executeTest(
        thenMatchesRecorded(async (server) => {
          const outcome = await call<{ user: { userId: string } }>(
            server.url,
            `${v1.users}/RegisterUser`,
            { email: "demo.v1@example.com", fullName: "Grace Hopper" },
          );
          expect(outcome.body?.user.userId).toBe(examples.customerId);
        }),
      );
  });

  it("v2 RegisterUser with given and family name answers the user id", async () => {
    await pact
      .addInteraction()
      .given("no user has signed up with the email", { email: "demo.v2@example.com" })
      .uponReceiving("v2 RegisterUser from the demo")
      .withRequest("POST", `/${v2.users}/RegisterUser`, (request) =>
        request
          .headers(connect)
          .jsonBody({ email: "demo.v2@example.com", givenName: "Alan", familyName: "Turing" }),
      )
      .willRespondWith(200, (response) =>
        response.jsonBody({ user: { userId: uuidLike(examples.customerId) } }),
      )
      .executeTest(
        thenMatchesRecorded(async (server) => {
          const outcome = await call<{ user: { userId: string } }>(
            server.url,
            `${v2.users}/RegisterUser`,
            { email: "demo.v2@example.com", givenName: "Alan", familyName: "Turing" },
          );
          expect(outcome.body?.user.userId).toBe(examples.customerId);
        }),
      );
  });

  it("v1 GetUser in the Connect GET form answers the user", async () => {
    await pact
      .addInteraction()
      .given("a signed-up customer")
      .uponReceiving("v1 GetUser (Connect GET) from the demo")
      .withRequest("GET", `/${v1.users}/GetUser`, (request) =>
        request
          .headers({ ...connect, authorization: bearerFromState })
          .query({ connect: "v1", encoding: "json", message: getMessageFromState }),
      )
      .willRespondWith(200, (response) =>
        response.jsonBody({ user: { userId: uuidLike(examples.customerId) } }),
      )
      .executeTest(
        thenMatchesRecorded(async (server) => {
          const outcome = await call<{ user: { userId: string } }>(
            server.url,
            `${v1.users}/GetUser`,
            { userId: examples.customerId },
            { method: "GET", headers: auth },
          );
          expect(outcome.body?.user.userId).toBe(examples.customerId);
        }),
      );
  });

  it("v1 PlaceOrder in cents with an Idempotency-Key answers the order id", async () => {
    await pact
      .addInteraction()
      .given("a signed-up customer")
      .uponReceiving("v1 PlaceOrder from the demo")
      .withRequest("POST", `/${v1.orders}/PlaceOrder`, (request) =>
        request
          .headers({
            ...connect,
            authorization: bearerFromState,
            "idempotency-key": uuidLike(idempotencyKey),
          })
          .jsonBody({
            customerId: customerIdFromState,
            currencyCode: "EUR",
            lines: [{ sku: "tea-sencha", quantity: 2, unitPriceCents: "1250" }],
          }),
      )
      .willRespondWith(200, (response) =>
        response.jsonBody({
          order: { orderId: uuidLike(examples.orderId), totalCents: regex("^[0-9]+$", "2500") },
        }),
      )
      .executeTest(
        thenMatchesRecorded(async (server) => {
          const outcome = await call<{ order: { orderId: string } }>(
            server.url,
            `${v1.orders}/PlaceOrder`,
            {
              customerId: examples.customerId,
              currencyCode: "EUR",
              lines: [{ sku: "tea-sencha", quantity: 2, unitPriceCents: "1250" }],
            },
            { headers: { ...auth, "idempotency-key": idempotencyKey } },
          );
          expect(outcome.body?.order.orderId).toBe(examples.orderId);
        }),
      );
  });

  it("v2 PlaceOrder in Money with an Idempotency-Key answers the order id", async () => {
    const line = {
      sku: "cup-stoneware",
      quantity: 1,
      unitPrice: { currencyCode: "EUR", units: "8", nanos: 990_000_000 },
    };
    await pact
      .addInteraction()
      .given("a signed-up customer")
      .uponReceiving("v2 PlaceOrder from the demo")
      .withRequest("POST", `/${v2.orders}/PlaceOrder`, (request) =>
        request
          .headers({
            ...connect,
            authorization: bearerFromState,
            "idempotency-key": uuidLike(idempotencyKey),
          })
          .jsonBody({ customerId: customerIdFromState, lines: [line] }),
      )
      .willRespondWith(200, (response) =>
        response.jsonBody({ order: { orderId: uuidLike(examples.orderId) } }),
      )
      .executeTest(
        thenMatchesRecorded(async (server) => {
          const outcome = await call<{ order: { orderId: string } }>(
            server.url,
            `${v2.orders}/PlaceOrder`,
            { customerId: examples.customerId, lines: [line] },
            { headers: { ...auth, "idempotency-key": idempotencyKey } },
          );
          expect(outcome.body?.order.orderId).toBe(examples.orderId);
        }),
      );
  });

  it("v1 CancelOrder with a reason succeeds", async () => {
    await pact
      .addInteraction()
      .given("a customer with an open order")
      .uponReceiving("v1 CancelOrder from the demo")
      .withRequest("POST", `/${v1.orders}/CancelOrder`, (request) =>
        request
          .headers({ ...connect, authorization: bearerFromState })
          .jsonBody({ orderId: orderIdFromState, reason: "changed my mind" }),
      )
      .willRespondWith(200, (response) =>
        response.jsonBody({
          order: { orderId: uuidLike(examples.orderId), status: "ORDER_STATUS_CANCELLED" },
        }),
      )
      .executeTest(
        thenMatchesRecorded(async (server) => {
          const outcome = await call(
            server.url,
            `${v1.orders}/CancelOrder`,
            {
              orderId: examples.orderId,
              reason: "changed my mind",
            },
            { headers: auth },
          );
          expect(outcome.ok).toBe(true);
        }),
      );
  });

  it("v2 ListOrders answers the customer's orders", async () => {
    await pact
      .addInteraction()
      .given("a customer with an open order")
      .uponReceiving("v2 ListOrders from the demo")
      .withRequest("POST", `/${v2.orders}/ListOrders`, (request) =>
        request
          .headers({ ...connect, authorization: bearerFromState })
          .jsonBody({ customerId: customerIdFromState }),
      )
      .willRespondWith(200, (response) =>
        response.jsonBody({ orders: eachLike({ orderId: uuidLike(examples.orderId) }) }),
      )
      .executeTest(
        thenMatchesRecorded(async (server) => {
          const outcome = await call<{ orders: { orderId: string }[] }>(
            server.url,
            `${v2.orders}/ListOrders`,
            { customerId: examples.customerId },
            { headers: auth },
          );
          expect(outcome.body?.orders[0]?.orderId).toBe(examples.orderId);
        }),
      );
  });

  it("a PlaceOrder without Idempotency-Key is refused with invalid_argument", async () => {
    await pact
      .addInteraction()
      .given("a signed-up customer")
      .uponReceiving("v1 PlaceOrder without an Idempotency-Key (a deliberate bad request)")
      .withRequest("POST", `/${v1.orders}/PlaceOrder`, (request) =>
        request.headers({ ...connect, authorization: bearerFromState }).jsonBody({
          customerId: customerIdFromState,
          currencyCode: "EUR",
          lines: [{ sku: "tea-sencha", quantity: 1, unitPriceCents: "1250" }],
        }),
      )
      .willRespondWith(400, (response) =>
        response.jsonBody({ code: "invalid_argument", message: like("idempotency key required") }),
      )
      .executeTest(
        thenMatchesRecorded(async (server) => {
          const outcome = await call(
            server.url,
            `${v1.orders}/PlaceOrder`,
            {
              customerId: examples.customerId,
              currencyCode: "EUR",
              lines: [{ sku: "tea-sencha", quantity: 1, unitPriceCents: "1250" }],
            },
            { headers: auth },
          );
          expect(outcome.code).toBe("invalid_argument");
        }),
      );
  });
});
