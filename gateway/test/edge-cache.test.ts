import { randomUUID } from "node:crypto";
import { createTestTokenIssuer, type TestTokenIssuer } from "@switchyard/end-user-auth/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Backends, startBackends } from "./support/backends.js";
import { getJson, type JsonCall, postJson } from "./support/connect-json.js";
import {
  adminScopes,
  edgeCacheOn,
  type GatewayHarness,
  startGateway,
} from "./support/gateway-harness.js";
import { servedCalls } from "./support/served-calls.js";
import { untilEveryGateway } from "./support/until-every-gateway.js";

// The edge tier (gateway/src/edge-cache): GetUser answered by the gateway itself when this
// caller read this user before — over the REAL gateway (two replicas, and one with CACHE=off)
// in front of the REAL user-service, with real NATS (user events, the KV tier) and Postgres.
// What reached user-service is read from its own RED series (rpc.server.call.duration).

const v1Users = "switchyard.edge.v1.UserService";
const v2Users = "switchyard.edge.v2.UserService";

/** The promise of issue 11: after UpdateUser, every replica serves the new value within this. */
const invalidationBoundMs = 200;

let backends: Backends;
let tokens: TestTokenIssuer;
/** Two replicas with the edge tier on (one NATS namespace: one L2 bucket, the same events). */
let first: GatewayHarness;
let second: GatewayHarness;
/** CACHE=off: what the benchmark compares against. */
let uncached: GatewayHarness;
let userId = "";
let asOwner: Record<string, string> = {};

async function gatewayWith(env: Record<string, string>): Promise<GatewayHarness> {
  return startGateway(
    { "user-service": backends.userServiceTarget, "order-service": backends.orderServiceTarget },
    {
      identity: backends.gatewayIdentity,
      tokens,
      env: { NATS_URL: backends.nats.url, EVENTS_NAMESPACE: backends.nats.prefix, ...env },
    },
  );
}

/** GetUser calls user-service has answered so far (any status), from its /metrics. */
const upstreamGetUsers = () =>
  servedCalls(backends.userServiceMetricsUrl, {
    service: "switchyard.user.v1.UserService",
    method: "GetUser",
  });

const getUser = (
  gateway: GatewayHarness,
  headers: Record<string, string>,
  id = userId,
): Promise<JsonCall> => getJson(gateway.baseUrl, `${v2Users}/GetUser`, { userId: id }, headers);

beforeAll(async () => {
  backends = await startBackends();
  tokens = await createTestTokenIssuer();
  // A fresh entry stays fresh for a minute here: only invalidation can explain a change seen
  // within the bound (the default 10 s would too, but 60 s leaves no doubt).
  first = await gatewayWith({ CACHE_L1_TTL_MS: "60000" });
  second = await gatewayWith({ CACHE_L1_TTL_MS: "60000" });
  uncached = await gatewayWith({ CACHE: "off" });
  await Promise.all([edgeCacheOn(first), edgeCacheOn(second)]);
  const registered = await postJson(first.baseUrl, `${v2Users}/RegisterUser`, {
    email: `edge.${Date.now().toString(36)}@example.com`,
    givenName: "Ada",
    familyName: "Lovelace",
  });
  expect(registered.status, registered.text).toBe(200);
  userId = registered.body.user.userId;
  asOwner = await first.auth(userId);
}, 120_000);
afterAll(async () => {
  await Promise.all([first?.close(), second?.close(), uncached?.close()]);
  await backends?.close();
  tokens?.remove();
});

describe("the gateway's edge tier for GetUser (real gateway, user-service, NATS, Postgres)", () => {
  it("a second GetUser — v2 or v1, POST or GET, with If-None-Match — is answered without reaching user-service", async () => {
    const before = await upstreamGetUsers();
    const firstRead = await getUser(first, asOwner);
    expect(firstRead.status, firstRead.text).toBe(200);
    expect(await upstreamGetUsers()).toBe(before + 1);

    const again = await getUser(first, asOwner);
    expect(again.status, again.text).toBe(200);
    expect(again.body).toEqual(firstRead.body);
    // v1 maps the same upstream answer: the same entry.
    const v1 = await postJson(first.baseUrl, `${v1Users}/GetUser`, { userId }, asOwner);
    expect(v1.status, v1.text).toBe(200);
    expect(v1.body.user.fullName).toBe("Ada Lovelace");
    // Conditional GET keeps working on a hit: same ETag, and If-None-Match → 304.
    const etag = again.headers.get("etag") ?? "";
    expect(etag).toBe(firstRead.headers.get("etag"));
    const notModified = await getUser(first, { ...asOwner, "if-none-match": etag });
    expect(notModified.status).toBe(304);
    expect(await upstreamGetUsers()).toBe(before + 1);
  });

  it("another caller never gets the first caller's entry: it gets user-service's own answer, every time", async () => {
    expect((await getUser(first, asOwner)).status).toBe(200); // the owner's entry is warm
    const before = await upstreamGetUsers();
    const stranger = await first.auth(randomUUID());
    for (let i = 0; i < 2; i++) {
      const denied = await getUser(first, stranger);
      expect(denied.status, denied.text).toBe(403);
      expect(denied.body.code).toBe("permission_denied");
    }
    // Denials are not cached: both went to user-service.
    expect(await upstreamGetUsers()).toBe(before + 2);
    // The same subject with other scopes is another caller too (the ownership check reads them).
    const ownerAsAdmin = await first.auth(userId, adminScopes);
    expect((await getUser(first, ownerAsAdmin)).status).toBe(200);
    expect(await upstreamGetUsers()).toBe(before + 3);
    // A not-found is not cached either.
    const nobody = randomUUID();
    const asNobody = await first.auth(nobody);
    for (let i = 0; i < 2; i++) expect((await getUser(first, asNobody, nobody)).status).toBe(404);
    expect(await upstreamGetUsers()).toBe(before + 5);
  });

  it(`after UpdateUser through one replica, BOTH replicas serve the new value within ${invalidationBoundMs} ms`, async () => {
    const [readByFirst, readBySecond] = [
      await getUser(first, asOwner),
      await getUser(second, asOwner),
    ];
    expect([readByFirst.status, readBySecond.status]).toEqual([200, 200]);
    // Both replicas hold the old value (hits: nothing more reaches user-service).
    const before = await upstreamGetUsers();
    expect((await getUser(second, asOwner)).body.user.familyName).toBe("Lovelace");
    expect(await upstreamGetUsers()).toBe(before);

    const updated = await postJson(
      first.baseUrl,
      `${v2Users}/UpdateUser`,
      { userId, givenName: "Ada", familyName: "King", etag: readByFirst.body.user.etag },
      asOwner,
    );
    expect(updated.status, updated.text).toBe(200);
    const since = Date.now();
    const servedAfter = await untilEveryGateway(
      [first, second],
      (gateway) => getUser(gateway, asOwner),
      (answer) => answer.body?.user?.familyName === "King",
      since,
    );
    console.log(
      `[edge cache] new value served by [writer, other] after: ${servedAfter.join(", ")} ms`,
    );
    for (const ms of servedAfter) expect(ms).toBeLessThanOrEqual(invalidationBoundMs);
  });

  it("CACHE=off: every GetUser reaches user-service", async () => {
    const before = await upstreamGetUsers();
    for (let i = 0; i < 3; i++) expect((await getUser(uncached, asOwner)).status).toBe(200);
    expect(await upstreamGetUsers()).toBe(before + 3);
  });

  it("with user-service stopped, a warm caller is still answered by the gateway (the current value); a cold one is not", async () => {
    expect((await getUser(first, asOwner)).body.user.familyName).toBe("King");
    await backends.stopUserService();
    const cached = await getUser(first, asOwner);
    expect(cached.status, cached.text).toBe(200);
    expect(cached.body.user.familyName).toBe("King");
    const cold = await getUser(first, await first.auth(userId, adminScopes));
    expect(cold.status, cold.text).toBe(503);
    expect((await getUser(uncached, asOwner)).status).toBe(503);
  });
});
