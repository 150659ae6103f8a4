import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { encodeEtag } from "../src/v2/etag.js";
import { type Backends, startBackends } from "./support/backends.js";
import { getJson, type JsonCall, postJson } from "./support/connect-json.js";
import { type GatewayHarness, startGateway } from "./support/gateway-harness.js";

const users = "switchyard.edge.v2.UserService";
const orders = "switchyard.edge.v2.OrderService";

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

/** The registered user's Authorization header, once they exist (signup needs none). */
let asUser: Record<string, string> = {};
const postJsonAs = (procedure: string, body: unknown, headers: Record<string, string> = {}) =>
  postJson(gateway.baseUrl, procedure, body, { ...asUser, ...headers });
const getJsonAs = (procedure: string, message: unknown) =>
  getJson(gateway.baseUrl, procedure, message, asUser);

const responses: JsonCall[] = [];
async function call(made: Promise<JsonCall>): Promise<JsonCall> {
  const response = await made;
  responses.push(response);
  return response;
}

// proto3 JSON leaves out zero values: 25.00 EUR is {"currencyCode":"EUR","units":"25"}.
const eur = (units: string, nanos = 0) =>
  nanos === 0 ? { currencyCode: "EUR", units } : { currencyCode: "EUR", units, nanos };

describe("edge v2 over Connect JSON (HTTP/1.1)", () => {
  let userId = "";
  let etag = "";
  let orderId = "";

  it("registers a user with given and family name and an opaque etag", async () => {
    const response = await call(
      postJsonAs(`${users}/RegisterUser`, {
        email: "grace@example.com",
        givenName: "Grace",
        familyName: "Brewster Hopper",
      }),
    );
    expect(response.status, response.text).toBe(200);
    expect(response.body.user).toMatchObject({
      email: "grace@example.com",
      givenName: "Grace",
      familyName: "Brewster Hopper",
      status: "USER_STATUS_ACTIVE",
      etag: encodeEtag(1n),
    });
    expect(response.body.user).not.toHaveProperty("version");
    expect(response.body.user).not.toHaveProperty("fullName");
    userId = response.body.user.userId;
    etag = response.body.user.etag;
    asUser = await gateway.auth(userId);
  });

  it("gets the user by POST and by Connect GET", async () => {
    const post = await call(postJsonAs(`${users}/GetUser`, { userId }));
    const get = await call(getJsonAs(`${users}/GetUser`, { userId }));
    expect(post.status, post.text).toBe(200);
    expect(get.text).toBe(post.text);
    expect(post.body.user.etag).toBe(etag);
  });

  it("updates with the current etag, which then changes; a stale etag is aborted", async () => {
    const updated = await call(
      postJsonAs(`${users}/UpdateUser`, {
        userId,
        givenName: "Grace",
        familyName: "Hopper",
        etag,
      }),
    );
    expect(updated.status, updated.text).toBe(200);
    expect(updated.body.user.familyName).toBe("Hopper");
    expect(updated.body.user.etag).not.toBe(etag);

    const stale = await call(
      postJsonAs(`${users}/UpdateUser`, {
        userId,
        givenName: "G.",
        familyName: "Hopper",
        etag,
      }),
    );
    expect(stale.status, stale.text).toBe(409);
    expect(stale.body.code).toBe("aborted");
  });

  it("rejects a hand-made etag as invalid_argument on etag, before calling user-service", async () => {
    const response = await call(
      postJsonAs(`${users}/UpdateUser`, {
        userId,
        givenName: "Grace",
        familyName: "Hopper",
        etag: "Mg", // base64url("2"): a version, but not an etag the gateway made
      }),
    );
    expect(response.status, response.text).toBe(400);
    expect(response.body.code).toBe("invalid_argument");
    expect(response.body.details[0].debug.fieldViolations[0].field).toBe("etag");
  });

  it("registers a person with a single name (given name only) and names a missing given_name", async () => {
    const teller = await postJson(gateway.baseUrl, `${users}/RegisterUser`, {
      email: "teller.v2@example.com",
      givenName: "Teller",
    });
    expect(teller.status, teller.text).toBe(200);
    expect(teller.body.user).toMatchObject({ givenName: "Teller", email: "teller.v2@example.com" });
    expect(teller.body.user.familyName ?? "").toBe("");

    const nameless = await postJson(gateway.baseUrl, `${users}/RegisterUser`, {
      email: "nameless@example.com",
      familyName: "Lovelace",
    });
    expect(nameless.status, nameless.text).toBe(400);
    expect(nameless.body.message).toBe("given_name: must not be empty");
    expect(nameless.body.details[0].debug.fieldViolations).toEqual([
      { field: "given_name", description: "must not be empty" },
    ]);
  });

  it("places an order priced in Money; the currency comes from the lines", async () => {
    const response = await call(
      postJsonAs(
        `${orders}/PlaceOrder`,
        {
          customerId: userId,
          lines: [
            { sku: "TEA-1", quantity: 2, unitPrice: eur("12", 500_000_000) },
            { sku: "CUP-7", quantity: 1, unitPrice: eur("8", 990_000_000) },
          ],
        },
        { "idempotency-key": "v2-order-1" },
      ),
    );
    expect(response.status, response.text).toBe(200);
    expect(response.body.order).toMatchObject({
      customerId: userId,
      status: "ORDER_STATUS_PENDING",
      total: eur("33", 990_000_000),
      lines: [
        { sku: "TEA-1", quantity: 2, unitPrice: eur("12", 500_000_000), lineTotal: eur("25") },
        {
          sku: "CUP-7",
          quantity: 1,
          unitPrice: eur("8", 990_000_000),
          lineTotal: eur("8", 990_000_000),
        },
      ],
    });
    orderId = response.body.order.orderId;
  });

  it("prices a zero-decimal currency in whole units", async () => {
    const response = await call(
      postJsonAs(
        `${orders}/PlaceOrder`,
        {
          customerId: userId,
          lines: [
            { sku: "SAKE-1", quantity: 3, unitPrice: { currencyCode: "JPY", units: "1500" } },
          ],
        },
        { "idempotency-key": "v2-order-jpy" },
      ),
    );
    expect(response.status, response.text).toBe(200);
    expect(response.body.order.total).toEqual({ currencyCode: "JPY", units: "4500" });
  });

  it("rejects lines in different currencies, naming the odd line's currency_code", async () => {
    const before = await backends.counts();
    const response = await call(
      postJsonAs(
        `${orders}/PlaceOrder`,
        {
          customerId: userId,
          lines: [
            { sku: "TEA-1", quantity: 1, unitPrice: eur("1") },
            { sku: "TEA-2", quantity: 1, unitPrice: { currencyCode: "USD", units: "1" } },
          ],
        },
        { "idempotency-key": "v2-mixed" },
      ),
    );
    expect(response.status, response.text).toBe(400);
    expect(response.body.details[0].debug.fieldViolations).toEqual([
      {
        field: "lines[1].unit_price.currency_code",
        description: "must be EUR like the first line: an order has one currency",
      },
    ]);
    expect(await backends.counts()).toEqual(before);
  });

  it("gets the order, by POST and by Connect GET", async () => {
    const post = await call(postJsonAs(`${orders}/GetOrder`, { orderId }));
    const get = await call(getJsonAs(`${orders}/GetOrder`, { orderId }));
    expect(post.status, post.text).toBe(200);
    expect(get.text).toBe(post.text);
    expect(post.body.order.total).toEqual(eur("33", 990_000_000));
  });

  it("lists orders with server-chosen pages of 20, continuing by page token only", async () => {
    for (let index = 0; index < 20; index += 1) {
      const placed = await postJsonAs(
        `${orders}/PlaceOrder`,
        { customerId: userId, lines: [{ sku: `BULK-${index}`, quantity: 1, unitPrice: eur("1") }] },
        { "idempotency-key": `v2-bulk-${index}` },
      );
      expect(placed.status, placed.text).toBe(200);
    }
    const first = await call(postJsonAs(`${orders}/ListOrders`, { customerId: userId }));
    expect(first.status, first.text).toBe(200);
    expect(first.body.orders).toHaveLength(20);
    expect(first.body.nextPageToken).not.toBe("");

    const second = await call(
      postJsonAs(`${orders}/ListOrders`, {
        customerId: userId,
        pageToken: first.body.nextPageToken,
      }),
    );
    expect(second.status, second.text).toBe(200);
    expect(second.body.orders).toHaveLength(2); // 22 orders in all
    expect(second.body.nextPageToken ?? "").toBe("");

    const sizeField = await call(
      postJsonAs(`${orders}/ListOrders`, { customerId: userId, pageSize: 5 }),
    );
    // v2 has no page_size: an unknown JSON field is ignored, not honoured.
    expect(sizeField.body.orders).toHaveLength(20);
  });

  it("cancels the order; the reason and update time are part of v2", async () => {
    const response = await call(
      postJsonAs(`${orders}/CancelOrder`, { orderId, reason: "duplicate" }),
    );
    expect(response.status, response.text).toBe(200);
    expect(response.body.order).toMatchObject({
      orderId,
      status: "ORDER_STATUS_CANCELLED",
      cancelReason: "duplicate",
    });
    expect(response.body.order.updateTime).toBeDefined();
  });

  it("carries no Deprecation, Sunset or Link header on any v2 response", () => {
    expect(responses.length).toBeGreaterThanOrEqual(12);
    for (const response of responses) {
      expect(response.headers.get("deprecation")).toBeNull();
      expect(response.headers.get("sunset")).toBeNull();
      expect(response.headers.get("link")).toBeNull();
    }
  });
});
