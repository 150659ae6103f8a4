import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Backends, startBackends } from "./support/backends.js";
import { getJson, type JsonCall, postJson } from "./support/connect-json.js";
import {
  adminScopes,
  type GatewayHarness,
  startGateway,
  testDeprecatedAt,
  testSunset,
} from "./support/gateway-harness.js";
import { expectGolden, normalizeBody } from "./support/golden.js";

const users = "switchyard.edge.v1.UserService";
const orders = "switchyard.edge.v1.OrderService";

let backends: Backends;
let gateway: GatewayHarness;
beforeAll(async () => {
  backends = await startBackends();
  gateway = await startGateway(
    {
      "user-service": backends.userServiceTarget,
      "order-service": backends.orderServiceTarget,
    },
    { identity: backends.gatewayIdentity },
  );
});
afterAll(async () => {
  await gateway?.close();
  await backends?.close();
});

/** Every v1 response of the flow, by golden file name, in the order they were made. */
const responses = new Map<string, JsonCall>();

async function call(name: string, made: Promise<JsonCall>): Promise<JsonCall> {
  const response = await made;
  responses.set(name, response);
  return response;
}

function golden(name: string): URL {
  return new URL(`./golden/v1/${name}.json`, import.meta.url);
}

describe("edge v1 over Connect JSON (HTTP/1.1)", () => {
  let userId = "";
  let orderId = "";
  /** The registered user's Authorization header: every call but signup acts as them. */
  let asUser: Record<string, string> = {};

  it("registers a user, splitting full_name into given and family name", async () => {
    const response = await call(
      "register-user",
      postJson(gateway.baseUrl, `${users}/RegisterUser`, {
        email: "Ada@Example.com",
        fullName: "  Ada   King Lovelace ",
      }),
    );
    expect(response.status, response.text).toBe(200);
    expect(response.body.user).toMatchObject({
      email: "ada@example.com",
      fullName: "Ada King Lovelace",
      status: "USER_STATUS_ACTIVE",
      version: "1",
    });
    userId = response.body.user.userId;
    asUser = await gateway.auth(userId);
  });

  it("gets the user by POST and by Connect GET, with the same body", async () => {
    const post = await call(
      "get-user",
      postJson(gateway.baseUrl, `${users}/GetUser`, { userId }, asUser),
    );
    const get = await getJson(gateway.baseUrl, `${users}/GetUser`, { userId }, asUser);
    expect(post.status, post.text).toBe(200);
    expect(get.status, get.text).toBe(200);
    expect(get.text).toBe(post.text);
    expect(post.body.user.userId).toBe(userId);
  });

  it("updates the name with the current version, and rejects a stale version as aborted", async () => {
    const updated = await call(
      "update-user",
      postJson(
        gateway.baseUrl,
        `${users}/UpdateUser`,
        {
          userId,
          fullName: "Augusta Ada King",
          version: "1",
        },
        asUser,
      ),
    );
    expect(updated.status, updated.text).toBe(200);
    expect(updated.body.user).toMatchObject({ fullName: "Augusta Ada King", version: "2" });

    const stale = await call(
      "update-user-stale-version",
      postJson(
        gateway.baseUrl,
        `${users}/UpdateUser`,
        {
          userId,
          fullName: "Ada Lovelace",
          version: "1",
        },
        asUser,
      ),
    );
    expect(stale.status, stale.text).toBe(409);
    expect(stale.body.code).toBe("aborted");
  });

  it("registers a person with a single name: one word is a given name, no family name", async () => {
    const response = await postJson(gateway.baseUrl, `${users}/RegisterUser`, {
      email: "teller@example.com",
      fullName: " Teller ",
    });
    expect(response.status, response.text).toBe(200);
    expect(response.body.user).toMatchObject({ email: "teller@example.com", fullName: "Teller" });
    const asTeller = await gateway.auth(response.body.user.userId);
    const read = await postJson(
      gateway.baseUrl,
      `${users}/GetUser`,
      { userId: response.body.user.userId },
      asTeller,
    );
    expect(read.body.user.fullName).toBe("Teller");
  });

  it("reports an empty full_name against full_name, the field v1 knows", async () => {
    const response = await call(
      "register-user-invalid",
      postJson(gateway.baseUrl, `${users}/RegisterUser`, {
        email: "x@example.com",
        fullName: "   ",
      }),
    );
    expect(response.status, response.text).toBe(400);
    expect(response.body.code).toBe("invalid_argument");
    expect(response.body.message).toBe("full_name: must not be empty");
    expect(response.body.details[0].debug).toEqual({
      fieldViolations: [{ field: "full_name", description: "must not be empty" }],
    });
  });

  it("answers an unknown user with not_found (to an admin; a user would see permission_denied)", async () => {
    const response = await call(
      "get-user-not-found",
      postJson(
        gateway.baseUrl,
        `${users}/GetUser`,
        { userId: "00000000-0000-4000-8000-000000000000" },
        await gateway.auth("ops-admin", adminScopes),
      ),
    );
    expect(response.status, response.text).toBe(404);
    expect(response.body.code).toBe("not_found");
  });

  it("places an order in cents with an Idempotency-Key, and replays it for the same key", async () => {
    const request = {
      customerId: userId,
      currencyCode: "EUR",
      lines: [
        { sku: "TEA-1", quantity: 2, unitPriceCents: "1250" },
        { sku: "CUP-7", quantity: 1, unitPriceCents: "899" },
      ],
    };
    const headers = { "idempotency-key": "v1-order-1", ...asUser };
    const placed = await call(
      "place-order",
      postJson(gateway.baseUrl, `${orders}/PlaceOrder`, request, headers),
    );
    expect(placed.status, placed.text).toBe(200);
    expect(placed.body.order).toMatchObject({
      customerId: userId,
      status: "ORDER_STATUS_PENDING",
      currencyCode: "EUR",
      totalCents: "3399",
    });
    orderId = placed.body.order.orderId;

    const replay = await postJson(gateway.baseUrl, `${orders}/PlaceOrder`, request, headers);
    expect(replay.status).toBe(200);
    expect(replay.body.order.orderId).toBe(orderId);
    expect((await backends.counts()).orders).toBe(1);
  });

  it("gets the order, by POST and by Connect GET", async () => {
    const post = await call(
      "get-order",
      postJson(gateway.baseUrl, `${orders}/GetOrder`, { orderId }, asUser),
    );
    const get = await getJson(gateway.baseUrl, `${orders}/GetOrder`, { orderId }, asUser);
    expect(post.status, post.text).toBe(200);
    expect(get.text).toBe(post.text);
    expect(post.body.order.orderId).toBe(orderId);
  });

  it("lists the customer's orders page by page", async () => {
    const second = await postJson(
      gateway.baseUrl,
      `${orders}/PlaceOrder`,
      {
        customerId: userId,
        currencyCode: "EUR",
        lines: [{ sku: "POT-2", quantity: 1, unitPriceCents: "4500" }],
      },
      { "idempotency-key": "v1-order-2", ...asUser },
    );
    expect(second.status, second.text).toBe(200);

    const first = await call(
      "list-orders-page-1",
      postJson(
        gateway.baseUrl,
        `${orders}/ListOrders`,
        { customerId: userId, pageSize: 1 },
        asUser,
      ),
    );
    expect(first.status, first.text).toBe(200);
    expect(first.body.orders).toHaveLength(1);
    expect(first.body.nextPageToken).not.toBe("");

    const rest = await call(
      "list-orders-page-2",
      postJson(
        gateway.baseUrl,
        `${orders}/ListOrders`,
        {
          customerId: userId,
          pageSize: 1,
          pageToken: first.body.nextPageToken,
        },
        asUser,
      ),
    );
    expect(rest.status, rest.text).toBe(200);
    const ids = [...first.body.orders, ...rest.body.orders].map((order) => order.orderId);
    expect(ids).toHaveLength(2);
    expect(ids).toContain(orderId);
    expect(ids).toContain(second.body.order.orderId);
  });

  it("cancels the order with a reason", async () => {
    const response = await call(
      "cancel-order",
      postJson(
        gateway.baseUrl,
        `${orders}/CancelOrder`,
        { orderId, reason: "changed my mind" },
        asUser,
      ),
    );
    expect(response.status, response.text).toBe(200);
    expect(response.body.order).toMatchObject({ orderId, status: "ORDER_STATUS_CANCELLED" });
  });

  it("marks every v1 response, success or error, with Deprecation, Sunset and a successor Link", async () => {
    expect(responses.size).toBeGreaterThanOrEqual(10);
    for (const [name, response] of responses) {
      expect(response.headers.get("deprecation"), name).toBe(
        `@${Date.parse(testDeprecatedAt) / 1000}`,
      );
      expect(response.headers.get("sunset"), name).toBe(testSunset);
      expect(response.headers.get("link"), name).toMatch(
        /^<\/switchyard\.edge\.v2\.(User|Order)Service\/\w+>; rel="successor-version"$/,
      );
    }
    const malformed = await postJson(gateway.baseUrl, `${users}/GetUser`, "{not json", asUser);
    expect(malformed.status).toBe(400);
    expect(malformed.headers.get("sunset")).toBe(testSunset);
  });

  it("keeps every v1 response byte-for-byte equal to its golden file", async () => {
    expect([...responses.keys()].sort()).toEqual([
      "cancel-order",
      "get-order",
      "get-user",
      "get-user-not-found",
      "list-orders-page-1",
      "list-orders-page-2",
      "place-order",
      "register-user",
      "register-user-invalid",
      "update-user",
      "update-user-stale-version",
    ]);
    for (const [name, response] of responses) {
      await expectGolden(golden(name), normalizeBody(response.text));
    }
  });
});
