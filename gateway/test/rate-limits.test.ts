import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { ConfigError } from "@switchyard/config";
import { OrderService as V2OrderService } from "@switchyard/contracts/connect/switchyard/edge/v2/order_service_pb";
import { createTestTokenIssuer, type TestTokenIssuer } from "@switchyard/end-user-auth/testing";
import { createTestNats, type TestNats } from "@switchyard/testing";
import { parseList } from "structured-headers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Backends, startBackends } from "./support/backends.js";
import { type JsonCall, postJson } from "./support/connect-json.js";
import { type GatewayHarness, startGateway } from "./support/gateway-harness.js";

const v2Users = "switchyard.edge.v2.UserService";
const v2Orders = "switchyard.edge.v2.OrderService";

let backends: Backends;
let tokens: TestTokenIssuer;
let nats: TestNats;
const gateways: GatewayHarness[] = [];
/** Without limits: registers the test's users. */
let setup: GatewayHarness;

async function gatewayWith(env: Record<string, string>): Promise<GatewayHarness> {
  const started = await startGateway(
    { "user-service": backends.userServiceTarget, "order-service": backends.orderServiceTarget },
    { identity: backends.gatewayIdentity, tokens, env },
  );
  gateways.push(started);
  return started;
}

async function register(name: string): Promise<{ userId: string; auth: Record<string, string> }> {
  const answer = await postJson(setup.baseUrl, `${v2Users}/RegisterUser`, {
    email: `${name}-${Date.now()}@example.com`,
    givenName: name,
  });
  expect(answer.status, answer.text).toBe(200);
  const userId: string = answer.body.user.userId;
  return { userId, auth: await setup.auth(userId) };
}

/** The two fields as parsed structured-field lists: { name: { param: value } }. */
function rateLimitFields(call: JsonCall) {
  const parse = (field: string) => {
    const value = call.headers.get(field);
    expect(value, `${field} on a ${call.status}`).not.toBeNull();
    return Object.fromEntries(
      parseList(value ?? "").map(([name, params]) => [String(name), Object.fromEntries(params)]),
    );
  };
  return { policy: parse("ratelimit-policy"), limit: parse("ratelimit") };
}

function expectRateLimited(call: JsonCall, policy: string) {
  expect(call.status, call.text).toBe(429);
  expect(call.headers.get("content-type")).toBe("application/json");
  expect(call.body.code).toBe("resource_exhausted");
  expect(Number(call.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
  expect(rateLimitFields(call).limit[policy]).toMatchObject({ r: 0 });
}

beforeAll(async () => {
  tokens = await createTestTokenIssuer();
  nats = await createTestNats();
  backends = await startBackends();
  setup = await gatewayWith({});
});
afterAll(async () => {
  await Promise.all(gateways.map((g) => g.close()));
  await backends?.close();
  tokens?.remove();
  await nats?.close();
});

describe("rate limits at the gateway (GCRA per end user and route class)", () => {
  // Windows of an hour: the refill during a test run is negligible and still counted below.
  const limits = {
    RATE_LIMITS: "on",
    RATE_LIMIT_SIGNUP: "3/3600",
    RATE_LIMIT_READS: "30/3600",
    RATE_LIMIT_WRITES: "2/3600",
  };

  it("a client offered 2× its limit gets between 95% and 100% of it; one at 90% gets no 429; neither changes the other's answers", async () => {
    const limited = await gatewayWith(limits);
    const alice = await register("Alice");
    const bob = await register("Bob");
    const getUser = (who: { userId: string; auth: Record<string, string> }) =>
      postJson(limited.baseUrl, `${v2Users}/GetUser`, { userId: who.userId }, who.auth);
    const bobBefore = await postJson(
      setup.baseUrl,
      `${v2Users}/GetUser`,
      { userId: bob.userId },
      bob.auth,
    );

    const started = Date.now();
    const [aliceCalls, bobCalls] = await Promise.all([
      (async () => {
        const calls: JsonCall[] = [];
        for (let i = 0; i < 60; i++) calls.push(await getUser(alice));
        return calls;
      })(),
      (async () => {
        const calls: JsonCall[] = [];
        for (let i = 0; i < 27; i++) calls.push(await getUser(bob));
        return calls;
      })(),
    ]);
    const elapsedSeconds = (Date.now() - started) / 1000;
    // The limit over the run: the burst plus what refilled meanwhile (one per 120 s).
    const limit = 30 + Math.floor(elapsedSeconds / 120);
    const accepted = aliceCalls.filter((c) => c.status === 200).length;
    expect(accepted / limit).toBeGreaterThanOrEqual(0.95);
    expect(accepted / limit).toBeLessThanOrEqual(1);
    for (const refused of aliceCalls.filter((c) => c.status !== 200)) {
      expectRateLimited(refused, "reads");
    }
    // Remaining counts down 29, 28, … 0 on the accepted answers.
    expect(aliceCalls.slice(0, 30).map((c) => rateLimitFields(c).limit.reads?.r)).toEqual(
      Array.from({ length: 30 }, (_, i) => 29 - i),
    );
    expect(rateLimitFields(aliceCalls[0] as JsonCall).policy).toEqual({
      reads: { q: 30, w: 3600 },
    });

    expect(bobCalls.map((c) => c.status)).toEqual(Array(27).fill(200));
    for (const call of bobCalls) expect(call.body).toEqual(bobBefore.body);
  });

  it("a limited write reaches no backend and changes nothing; gRPC callers get RESOURCE_EXHAUSTED", async () => {
    const limited = await gatewayWith(limits);
    const carol = await register("Carol");
    const order = (key: string) =>
      postJson(
        limited.baseUrl,
        `${v2Orders}/PlaceOrder`,
        {
          customerId: carol.userId,
          lines: [
            { sku: "TEA-1", quantity: 1, unitPrice: { currencyCode: "EUR", units: "2", nanos: 0 } },
          ],
        },
        { ...carol.auth, "idempotency-key": key },
      );
    const before = await backends.counts();
    expect((await order("rl-1")).status).toBe(200);
    expect((await order("rl-2")).status).toBe(200);
    const afterTwo = await backends.counts();
    expect(afterTwo.orders).toBe(before.orders + 2);

    expectRateLimited(await order("rl-3"), "writes");
    const client = createClient(V2OrderService, createGrpcTransport({ baseUrl: limited.baseUrl }));
    const grpcError = await client
      .placeOrder(
        {
          customerId: carol.userId,
          lines: [
            { sku: "TEA-1", quantity: 1, unitPrice: { currencyCode: "EUR", units: 2n, nanos: 0 } },
          ],
        },
        { headers: { ...carol.auth, "idempotency-key": "rl-4" } },
      )
      .then(
        () => undefined,
        (error: unknown) => ConnectError.from(error),
      );
    expect(grpcError?.code).toBe(Code.ResourceExhausted);
    expect(Number(grpcError?.metadata.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(await backends.counts()).toEqual(afterTwo);
  });

  it("signup is limited per client address, before user-service is called", async () => {
    const limited = await gatewayWith(limits);
    const signup = (i: number) =>
      postJson(limited.baseUrl, `${v2Users}/RegisterUser`, {
        email: `signup-${i}-${Date.now()}@example.com`,
        givenName: "Signup",
      });
    for (let i = 0; i < 3; i++) expect((await signup(i)).status).toBe(200);
    const before = await backends.counts();
    const refused = await signup(3);
    expectRateLimited(refused, "signup");
    expect(rateLimitFields(refused).policy).toEqual({ signup: { q: 3, w: 3600 } });
    expect(await backends.counts()).toEqual(before);
  });
});

describe("rate-limit configuration", () => {
  it("errors after admission carry the fields too", async () => {
    const limited = await gatewayWith({ RATE_LIMITS: "on", RATE_LIMIT_READS: "5/60" });
    const frank = await register("Frank");
    const someoneElse = await postJson(
      limited.baseUrl,
      `${v2Users}/GetUser`,
      { userId: "00000000-0000-4000-8000-000000000000" },
      frank.auth,
    );
    expect(someoneElse.status, someoneElse.text).toBe(403);
    expect(rateLimitFields(someoneElse)).toEqual({
      policy: { reads: { q: 5, w: 60 } },
      limit: { reads: { r: 4, t: 12 } },
    });
  });

  it("bad values are config errors naming the key; a quota needs QUOTA_NATS_URL", async () => {
    await expect(gatewayWith({ RATE_LIMITS: "on", RATE_LIMIT_READS: "lots" })).rejects.toThrow(
      /RATE_LIMIT_READS/,
    );
    await expect(gatewayWith({ RATE_LIMITS: "on", RATE_LIMIT_WRITES: "0/60" })).rejects.toThrow(
      /RATE_LIMIT_WRITES/,
    );
    await expect(gatewayWith({ RATE_LIMITS: "on", DAILY_QUOTA: "5" })).rejects.toSatisfy(
      (error) => error instanceof ConfigError && error.keys.includes("QUOTA_NATS_URL"),
    );
  });
});

describe("daily quota shared by two gateway replicas through NATS KV", () => {
  const quota = 25;
  const blockSize = 4;

  it("the total accepted across both replicas is the quota, never more", async () => {
    const env = {
      RATE_LIMITS: "on",
      RATE_LIMIT_READS: "10000/60",
      DAILY_QUOTA: String(quota),
      QUOTA_BLOCK_SIZE: String(blockSize),
      QUOTA_NATS_URL: nats.url,
      QUOTA_BUCKET: `${nats.prefix}-quota`,
      QUOTA_STORE_UNAVAILABLE: "closed",
    };
    const replicas = [await gatewayWith(env), await gatewayWith(env)];
    const dave = await register("Dave");
    const getUser = (replica: GatewayHarness) =>
      postJson(replica.baseUrl, `${v2Users}/GetUser`, { userId: dave.userId }, dave.auth);

    // Wait until both replicas have opened the bucket (they connect in the background).
    const firstAnswers: JsonCall[] = [];
    for (const replica of replicas) {
      for (let i = 0; i < 400; i++) {
        const answer = await getUser(replica);
        if (answer.status !== 503) {
          firstAnswers.push(answer);
          break;
        }
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
    let accepted = firstAnswers.filter((a) => a.status === 200).length;
    let lastRefusal: JsonCall | undefined;
    // Alternate between the replicas, offering 3× the quota.
    for (let i = 0; i < 3 * quota; i++) {
      const answer = await getUser(replicas[i % 2] as GatewayHarness);
      if (answer.status === 200) accepted++;
      else lastRefusal = answer;
    }
    // Slack: each replica may hold up to blockSize − 1 units it never spends; alternating until
    // both refuse spends every block, so here the total is exactly the quota.
    expect(accepted).toBeLessThanOrEqual(quota);
    expect(accepted).toBeGreaterThanOrEqual(quota - 2 * (blockSize - 1));
    expect(accepted).toBe(quota);
    expect(lastRefusal).toBeDefined();
    expectRateLimited(lastRefusal as JsonCall, "daily");
    const fields = rateLimitFields(lastRefusal as JsonCall);
    expect(fields.policy.daily).toEqual({ q: quota, w: 86400 });
    const secondsToMidnight = Math.ceil((86_400_000 - (Date.now() % 86_400_000)) / 1000);
    expect(Number(lastRefusal?.headers.get("retry-after"))).toBeLessThanOrEqual(
      secondsToMidnight + 1,
    );
    expect(Number(lastRefusal?.headers.get("retry-after"))).toBeGreaterThan(secondsToMidnight - 60);
  });

  it("NATS unreachable: QUOTA_STORE_UNAVAILABLE=open serves with the local limits, =closed answers 503 before any backend", async () => {
    const unreachable = {
      RATE_LIMITS: "on",
      RATE_LIMIT_WRITES: "100/60",
      DAILY_QUOTA: "1000",
      QUOTA_NATS_URL: "nats://127.0.0.1:1",
      QUOTA_STORE_TIMEOUT_MS: "200",
    };
    const failOpen = await gatewayWith({ ...unreachable, QUOTA_STORE_UNAVAILABLE: "open" });
    const failClosed = await gatewayWith({ ...unreachable, QUOTA_STORE_UNAVAILABLE: "closed" });
    const erin = await register("Erin");
    const placeOrder = (gateway: GatewayHarness, key: string) =>
      postJson(
        gateway.baseUrl,
        `${v2Orders}/PlaceOrder`,
        {
          customerId: erin.userId,
          lines: [
            { sku: "TEA-1", quantity: 1, unitPrice: { currencyCode: "EUR", units: "2", nanos: 0 } },
          ],
        },
        { ...erin.auth, "idempotency-key": key },
      );

    const open = await placeOrder(failOpen, "nats-down-open");
    expect(open.status, open.text).toBe(200);
    // The local limit still answers; the daily quota is not reported while its store is away.
    expect(Object.keys(rateLimitFields(open).limit)).toEqual(["writes"]);

    const before = await backends.counts();
    const closed = await placeOrder(failClosed, "nats-down-closed");
    expect(closed.status, closed.text).toBe(503);
    expect(closed.body.code).toBe("unavailable");
    expect(await backends.counts()).toEqual(before);
  });
});
