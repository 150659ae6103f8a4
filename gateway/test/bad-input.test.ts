import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Backends, type RowCounts, startBackends } from "./support/backends.js";
import { type JsonCall, postJson } from "./support/connect-json.js";
import { type GatewayHarness, startGateway, testMaxBodyBytes } from "./support/gateway-harness.js";

const v1Users = "switchyard.edge.v1.UserService";
const v1Orders = "switchyard.edge.v1.OrderService";
const v2Orders = "switchyard.edge.v2.OrderService";

let backends: Backends;
let gateway: GatewayHarness;
let customerId = "";
let before: RowCounts;
/** Margaret's Authorization header: the bad input comes from an authenticated user. */
let asUser: Record<string, string> = {};
const postJsonAs = (procedure: string, body: unknown, headers: Record<string, string> = {}) =>
  postJson(gateway.baseUrl, procedure, body, { ...asUser, ...headers });

beforeAll(async () => {
  backends = await startBackends();
  gateway = await startGateway(
    {
      "user-service": backends.userServiceTarget,
      "order-service": backends.orderServiceTarget,
    },
    { identity: backends.gatewayIdentity },
  );
  const registered = await postJsonAs(`${v1Users}/RegisterUser`, {
    email: "margaret@example.com",
    fullName: "Margaret Hamilton",
  });
  customerId = registered.body.user.userId;
  asUser = await gateway.auth(customerId);
  before = await backends.counts();
});
afterAll(async () => {
  await gateway?.close();
  await backends?.close();
});

const goodV1Order = () => ({
  customerId,
  currencyCode: "EUR",
  lines: [{ sku: "TEA-1", quantity: 1, unitPriceCents: "100" }],
});

/** A rejected call: the status, a Connect error body with that code, no stack, no rows written. */
async function expectRejected(
  response: JsonCall,
  status: number,
  code: string,
): Promise<{ message: string; fields: string[] }> {
  expect(response.status, response.text).toBe(status);
  expect(response.headers.get("content-type")).toBe("application/json");
  expect(response.body?.code, response.text).toBe(code);
  expect(typeof response.body.message).toBe("string");
  expect(response.text).not.toMatch(/\n\s+at |node_modules|\.ts:\d+/);
  expect(await backends.counts()).toEqual(before);
  const fields: string[] = (response.body.details ?? []).flatMap(
    (detail: { debug?: { fieldViolations?: { field: string }[] } }) =>
      detail.debug?.fieldViolations?.map((violation) => violation.field) ?? [],
  );
  return { message: response.body.message, fields };
}

describe("bad input at the gateway gets a specific 4xx, a Connect error body, and creates nothing", () => {
  it("malformed JSON → 400 invalid_argument", async () => {
    const response = await postJsonAs(`${v1Users}/RegisterUser`, '{"email": "a@b.c",', {});
    const { message } = await expectRejected(response, 400, "invalid_argument");
    expect(message).toContain(
      "cannot decode message switchyard.edge.v1.RegisterUserRequest from JSON",
    );

    const order = await postJsonAs(`${v1Orders}/PlaceOrder`, "[1, 2", {
      "idempotency-key": "malformed-1",
    });
    await expectRejected(order, 400, "invalid_argument");
  });

  it("wrong field types → 400 invalid_argument", async () => {
    const user = await postJsonAs(`${v1Users}/RegisterUser`, {
      email: 42,
      fullName: ["Ada", "Lovelace"],
    });
    await expectRejected(user, 400, "invalid_argument");

    const order = await postJsonAs(
      `${v1Orders}/PlaceOrder`,
      { ...goodV1Order(), lines: [{ sku: "TEA-1", quantity: "lots", unitPriceCents: "100" }] },
      { "idempotency-key": "types-1" },
    );
    const { message } = await expectRejected(order, 400, "invalid_argument");
    expect(message).toContain("quantity");
  });

  it("unknown method or service → 404 unimplemented", async () => {
    const method = await postJsonAs(`${v1Users}/DeleteUser`, {});
    const { message } = await expectRejected(method, 404, "unimplemented");
    expect(message).toBe("no such method: /switchyard.edge.v1.UserService/DeleteUser");

    const service = await postJsonAs("switchyard.user.v1.UserService/GetUser", {});
    await expectRejected(service, 404, "unimplemented");
  });

  it(`oversize body (> ${testMaxBodyBytes} bytes) → 429 resource_exhausted, as connect-node maps it`, async () => {
    const response = await postJsonAs(`${v1Users}/RegisterUser`, {
      email: "big@example.com",
      fullName: `Big ${"x".repeat(testMaxBodyBytes)}`,
    });
    const { message } = await expectRejected(response, 429, "resource_exhausted");
    expect(message).toContain("readMaxBytes");
  });

  it("PlaceOrder without an Idempotency-Key (or a blank one) → 400 invalid_argument, both versions", async () => {
    for (const headers of [{}, { "idempotency-key": "   " }] as Record<string, string>[]) {
      const v1 = await postJsonAs(`${v1Orders}/PlaceOrder`, goodV1Order(), headers);
      const { message } = await expectRejected(v1, 400, "invalid_argument");
      expect(message).toBe("Idempotency-Key header is required");
    }
    const v2 = await postJsonAs(`${v2Orders}/PlaceOrder`, {
      customerId,
      lines: [{ sku: "TEA-1", quantity: 1, unitPrice: { currencyCode: "EUR", units: "1" } }],
    });
    const { message } = await expectRejected(v2, 400, "invalid_argument");
    expect(message).toBe("Idempotency-Key header is required");
  });

  it("absurd page_size → 400 invalid_argument naming page_size", async () => {
    const response = await postJsonAs(`${v1Orders}/ListOrders`, {
      customerId,
      pageSize: 100_000,
    });
    const { fields } = await expectRejected(response, 400, "invalid_argument");
    expect(fields).toEqual(["page_size"]);
  });

  it("v2 money finer than the currency (0.001 EUR) → 400 invalid_argument naming the price", async () => {
    const response = await postJsonAs(
      `${v2Orders}/PlaceOrder`,
      {
        customerId,
        lines: [
          {
            sku: "TEA-1",
            quantity: 1,
            unitPrice: { currencyCode: "EUR", units: "1", nanos: 1_000_000 },
          },
        ],
      },
      { "idempotency-key": "three-decimals" },
    );
    const { message, fields } = await expectRejected(response, 400, "invalid_argument");
    expect(fields).toEqual(["lines[0].unit_price"]);
    expect(message).toBe("lines[0].unit_price: EUR amounts have at most 2 decimal places");
  });

  it("a negative v1 price is reported on unit_price_cents, the field v1 knows", async () => {
    const response = await postJsonAs(
      `${v1Orders}/PlaceOrder`,
      { ...goodV1Order(), lines: [{ sku: "TEA-1", quantity: 1, unitPriceCents: "-5" }] },
      { "idempotency-key": "negative-price" },
    );
    const { fields, message } = await expectRejected(response, 400, "invalid_argument");
    expect(fields).toEqual(["lines[0].unit_price_cents"]);
    expect(message).toMatch(/^lines\[0\]\.unit_price_cents: /);
  });
});
