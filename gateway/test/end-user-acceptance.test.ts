import { createPrivateKey, createPublicKey } from "node:crypto";
import { createTestTokenIssuer, type TestTokenIssuer } from "@switchyard/end-user-auth/testing";
import { base64url, type CryptoKey, generateKeyPair, SignJWT, UnsecuredJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Backends, startBackends } from "./support/backends.js";
import { type JsonCall, postJson } from "./support/connect-json.js";
import { adminScopes, type GatewayHarness, startGateway } from "./support/gateway-harness.js";

// ACCEPTANCE: end users at the edge, against the REAL user-service, order-service and web-bff
// (mTLS between them, THE access policy in their interceptors), tokens signed here with jose.

const v1Orders = "switchyard.edge.v1.OrderService";
const v2Users = "switchyard.edge.v2.UserService";
const v2Orders = "switchyard.edge.v2.OrderService";
const web = "switchyard.bff.web.v1.WebService";
const nobodysOrder = "00000000-0000-4000-8000-00000000abcd";

let tokens: TestTokenIssuer;
let backends: Backends;
let gateway: GatewayHarness;
let ada = "";
let grace = "";
let adasOrder = "";

const now = () => Math.floor(Date.now() / 1000);
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** A token for Grace signed with the test issuer's key, with any claim or header overridden. */
function graceToken(
  claims: Record<string, unknown> = {},
  header: Record<string, unknown> = {},
  key: CryptoKey | Uint8Array = tokens.privateKey,
) {
  return new SignJWT({
    iss: tokens.issuer,
    aud: tokens.audience,
    sub: grace,
    iat: now(),
    exp: now() + 300,
    ...claims,
  })
    .setProtectedHeader({ alg: "ES256", kid: tokens.kid, typ: "at+jwt", ...header })
    .sign(key);
}

async function register(email: string, givenName: string): Promise<string> {
  const response = await postJson(gateway.baseUrl, `${v2Users}/RegisterUser`, {
    email,
    givenName,
    familyName: "Test",
  });
  expect(response.status, response.text).toBe(200);
  return response.body.user.userId;
}

const getOrderAs = (headers: Record<string, string>, orderId = adasOrder) =>
  postJson(gateway.baseUrl, `${v2Orders}/GetOrder`, { orderId }, headers);

function expectUnauthenticated(response: JsonCall, description: string | undefined) {
  expect(response.status, response.text).toBe(401);
  expect(response.body).toEqual({
    code: "unauthenticated",
    message: description ?? "missing bearer token",
  });
  expect(response.headers.get("www-authenticate")).toBe(
    description === undefined
      ? 'Bearer realm="switchyard"'
      : `Bearer realm="switchyard", error="invalid_token", error_description="${description}"`,
  );
}

beforeAll(async () => {
  tokens = await createTestTokenIssuer();
  backends = await startBackends({ webBff: { tokens } });
  gateway = await startGateway(
    {
      "user-service": backends.userServiceTarget,
      "order-service": backends.orderServiceTarget,
      "web-bff": backends.webBffTarget,
    },
    { identity: backends.gatewayIdentity, tokens },
  );
  ada = await register("ada.acceptance@example.com", "Ada");
  grace = await register("grace.acceptance@example.com", "Grace");
  const placed = await postJson(
    gateway.baseUrl,
    `${v1Orders}/PlaceOrder`,
    {
      customerId: ada,
      currencyCode: "EUR",
      lines: [{ sku: "TEA-1", quantity: 2, unitPriceCents: "1250" }],
    },
    { "idempotency-key": "acceptance-1", ...(await gateway.auth(ada)) },
  );
  expect(placed.status, placed.text).toBe(200);
  adasOrder = placed.body.order.orderId;
});

afterAll(async () => {
  await gateway?.close();
  await backends?.close();
  tokens?.remove();
});

describe("JWT at the gateway: every refused token is a 401 with a Bearer challenge", () => {
  it("a valid token → 200", async () => {
    const response = await postJson(
      gateway.baseUrl,
      `${v2Users}/GetUser`,
      { userId: grace },
      bearer(await graceToken()),
    );
    expect(response.status, response.text).toBe(200);
    expect(response.body.user.userId).toBe(grace);
  });

  it("no token", async () => {
    expectUnauthenticated(await getOrderAs({}), undefined);
  });

  it("alg: none", async () => {
    const unsigned = new UnsecuredJWT({ sub: grace, scope: "switchyard:admin" })
      .setIssuer(tokens.issuer)
      .setAudience(tokens.audience)
      .setExpirationTime("5m")
      .encode();
    expectUnauthenticated(await getOrderAs(bearer(unsigned)), "token signature not accepted");
  });

  it("HS256 signed with the public key (algorithm confusion)", async () => {
    const publicKeyPem = createPublicKey(createPrivateKey(tokens.privateKeyPem)).export({
      type: "spki",
      format: "pem",
    }) as string;
    const confused = await graceToken({}, { alg: "HS256" }, new TextEncoder().encode(publicKeyPem));
    expectUnauthenticated(await getOrderAs(bearer(confused)), "token signature not accepted");
  });

  it("wrong issuer", async () => {
    const token = await graceToken({ iss: "https://evil.example" });
    expectUnauthenticated(await getOrderAs(bearer(token)), "token claims not accepted");
  });

  it("wrong audience", async () => {
    const token = await graceToken({ aud: "some-other-api" });
    expectUnauthenticated(await getOrderAs(bearer(token)), "token claims not accepted");
  });

  it("expired beyond the clock tolerance (30 s); within it still accepted", async () => {
    const expired = await graceToken({ iat: now() - 600, exp: now() - 120 });
    expectUnauthenticated(await getOrderAs(bearer(expired)), "token expired");
    const justExpired = await graceToken({ iat: now() - 600, exp: now() - 10 });
    const ok = await postJson(
      gateway.baseUrl,
      `${v2Users}/GetUser`,
      { userId: grace },
      bearer(justExpired),
    );
    expect(ok.status, ok.text).toBe(200);
  });

  it("nbf in the future", async () => {
    const early = await graceToken({ nbf: now() + 120 });
    expectUnauthenticated(await getOrderAs(bearer(early)), "token not yet valid");
  });

  it("unknown kid (a key the issuer never published)", async () => {
    const { privateKey } = await generateKeyPair("ES256");
    const stranger = await graceToken({}, { kid: "not-published" }, privateKey);
    expectUnauthenticated(await getOrderAs(bearer(stranger)), "token signature not accepted");
  });

  it("tampered payload (sub swapped, signature kept)", async () => {
    const [header, payload, signature] = (await graceToken()).split(".");
    const claims = JSON.parse(new TextDecoder().decode(base64url.decode(payload ?? "")));
    const forged = base64url.encode(JSON.stringify({ ...claims, sub: ada }));
    const tampered = `${header}.${forged}.${signature}`;
    expectUnauthenticated(await getOrderAs(bearer(tampered)), "token signature not accepted");
  });

  it("wrong typ (JWT instead of at+jwt)", async () => {
    const plainJwt = await graceToken({}, { typ: "JWT" });
    expectUnauthenticated(await getOrderAs(bearer(plainJwt)), "token claims not accepted");
  });

  it("key rotation: a token with a newly published kid is accepted without a restart", async () => {
    const oldToken = await graceToken();
    const newKid = await tokens.rotate();
    const rotated = await graceToken({}, { kid: newKid });
    const response = await postJson(
      gateway.baseUrl,
      `${v2Users}/GetUser`,
      { userId: grace },
      bearer(rotated),
    );
    expect(response.status, response.text).toBe(200);
    // The old key is still published, so tokens signed before the rotation keep working.
    const before = await postJson(
      gateway.baseUrl,
      `${v2Users}/GetUser`,
      { userId: grace },
      bearer(oldToken),
    );
    expect(before.status, before.text).toBe(200);
  });

  it("signup (RegisterUser, v1 and v2) stays open", async () => {
    const v1 = await postJson(gateway.baseUrl, "switchyard.edge.v1.UserService/RegisterUser", {
      email: "open.v1@example.com",
      fullName: "Open Signup",
    });
    expect(v1.status, v1.text).toBe(200);
    const v2 = await postJson(gateway.baseUrl, `${v2Users}/RegisterUser`, {
      email: "open.v2@example.com",
      givenName: "Open",
      familyName: "Signup",
    });
    expect(v2.status, v2.text).toBe(200);
  });
});

describe("ownership: a user reads only their own orders and dashboard; an admin reads all", () => {
  it("another user's order is permission_denied (v1, v2 and the BFF order page)", async () => {
    const asGrace = await gateway.auth(grace);
    const v2 = await getOrderAs(asGrace);
    expect(v2.status, v2.text).toBe(403);
    expect(v2.body).toEqual({
      code: "permission_denied",
      message: `the authenticated user may not read order ${adasOrder}`,
    });
    const v1 = await postJson(
      gateway.baseUrl,
      `${v1Orders}/GetOrder`,
      { orderId: adasOrder },
      asGrace,
    );
    expect(v1.status).toBe(403);
    const page = await postJson(
      gateway.baseUrl,
      `${web}/GetOrderPage`,
      { orderId: adasOrder },
      asGrace,
    );
    expect(page.status, page.text).toBe(403);
    expect(page.body.code).toBe("permission_denied");
  });

  it("a missing order looks exactly like someone else's to a user; an admin sees not_found", async () => {
    const asGrace = await getOrderAs(await gateway.auth(grace), nobodysOrder);
    expect(asGrace.status).toBe(403);
    expect(asGrace.body.message).toBe(`the authenticated user may not read order ${nobodysOrder}`);
    const asAdmin = await getOrderAs(await gateway.auth(grace, adminScopes), nobodysOrder);
    expect(asAdmin.status, asAdmin.text).toBe(404);
  });

  it("another user's dashboard is permission_denied; the own one needs no customer_id", async () => {
    const asGrace = await gateway.auth(grace);
    const foreign = await postJson(
      gateway.baseUrl,
      `${web}/GetDashboard`,
      { customerId: ada },
      asGrace,
    );
    expect(foreign.status, foreign.text).toBe(403);
    expect(foreign.body.code).toBe("permission_denied");
    const own = await postJson(gateway.baseUrl, `${web}/GetDashboard`, {}, asGrace);
    expect(own.status, own.text).toBe(200);
    expect(own.body.profile.customerId).toBe(grace);
  });

  it("another user's order list and profile are permission_denied, and so is ordering for them", async () => {
    const asGrace = await gateway.auth(grace);
    const list = await postJson(
      gateway.baseUrl,
      `${v2Orders}/ListOrders`,
      { customerId: ada },
      asGrace,
    );
    expect(list.status).toBe(403);
    const profile = await postJson(gateway.baseUrl, `${v2Users}/GetUser`, { userId: ada }, asGrace);
    expect(profile.status).toBe(403);
    const order = await postJson(
      gateway.baseUrl,
      `${v2Orders}/PlaceOrder`,
      {
        customerId: ada,
        lines: [{ sku: "X", quantity: 1, unitPrice: { currencyCode: "EUR", units: "1" } }],
      },
      { "idempotency-key": "grace-for-ada", ...asGrace },
    );
    expect(order.status).toBe(403);
  });

  it("an admin token reads another user's order, order page and dashboard", async () => {
    const asAdmin = await gateway.auth(grace, adminScopes);
    const order = await getOrderAs(asAdmin);
    expect(order.status, order.text).toBe(200);
    expect(order.body.order.customerId).toBe(ada);
    const page = await postJson(
      gateway.baseUrl,
      `${web}/GetOrderPage`,
      { orderId: adasOrder },
      asAdmin,
    );
    expect(page.status, page.text).toBe(200);
    expect(page.body.customer.customerId).toBe(ada);
    const dashboard = await postJson(
      gateway.baseUrl,
      `${web}/GetDashboard`,
      { customerId: ada },
      asAdmin,
    );
    expect(dashboard.status, dashboard.text).toBe(200);
    expect(dashboard.body.profile.customerId).toBe(ada);
    expect(dashboard.body.recentOrders).toHaveLength(1);
  });
});

describe("client-sent identity headers at the gateway have no effect", () => {
  const impersonate = () => ({
    "x-user-id": ada,
    "x-switchyard-end-user": ada,
    "x-switchyard-scopes": adminScopes.join(" "),
    "l5d-client-id": "gateway.switchyard.serviceaccount.identity.linkerd.cluster.local",
  });

  it("with Grace's token they cannot make a request act as Ada or as an admin", async () => {
    const headers = { ...(await gateway.auth(grace)), ...impersonate() };
    const order = await getOrderAs(headers);
    expect(order.status, order.text).toBe(403);
    const dashboard = await postJson(gateway.baseUrl, `${web}/GetDashboard`, {}, headers);
    expect(dashboard.status, dashboard.text).toBe(200);
    expect(dashboard.body.profile.customerId).toBe(grace);
  });

  it("without a token they do not authenticate anyone", async () => {
    expectUnauthenticated(await getOrderAs(impersonate()), undefined);
    const dashboard = await postJson(gateway.baseUrl, `${web}/GetDashboard`, {}, impersonate());
    expect(dashboard.status).toBe(401);
  });
});
