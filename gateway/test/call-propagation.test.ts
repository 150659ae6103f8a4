import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postJson } from "./support/connect-json.js";
import { type GatewayHarness, startGateway } from "./support/gateway-harness.js";
import { type RecordingBackend, startRecordingBackend } from "./support/recording-backend.js";

const getUser = "switchyard.edge.v2.UserService/GetUser";
const userId = "22222222-2222-4222-8222-222222222222";

let backend: RecordingBackend;
let gateway: GatewayHarness;
/** The caller's Authorization header (a token for `userId`). */
let asUser: Record<string, string> = {};
const postJsonAs = (procedure: string, body: unknown, headers: Record<string, string> = {}) =>
  postJson(gateway.baseUrl, procedure, body, { ...asUser, ...headers });
beforeAll(async () => {
  backend = await startRecordingBackend();
  gateway = await startGateway(
    { "user-service": backend.target, "order-service": backend.target },
    { defaultDeadlineMs: 400, maxDeadlineMs: 2_000 },
  );
  asUser = await gateway.auth(userId, ["orders:read", "switchyard:admin"]);
  // The gateway's channel to the backend and its token verifier warm: the short-timeout test
  // below measures the deadline, not a first connection (once, on a loaded CI machine, its
  // deadline ran out before the call was even sent).
  await postJsonAs(getUser, { userId });
});
afterAll(async () => {
  await gateway?.close();
  backend?.stop();
});

function lastCall() {
  const call = backend.calls.at(-1);
  if (call === undefined) throw new Error("no call reached the backend");
  return call;
}

describe("what the gateway passes downstream", () => {
  it("a caller timeout of 200 ms against a slow backend → 504 deadline_exceeded, backend call cancelled", async () => {
    backend.getUserDelayMs = 2_000;
    const callsBefore = backend.calls.length;
    const started = Date.now();
    const response = await postJsonAs(getUser, { userId }, { "connect-timeout-ms": "200" });
    const elapsed = Date.now() - started;
    backend.getUserDelayMs = 0;

    expect(response.status, response.text).toBe(504);
    expect(response.body).toEqual({ code: "deadline_exceeded", message: "deadline exceeded" });
    expect(elapsed).toBeLessThan(1_500);
    expect(backend.calls.length).toBe(callsBefore + 1);
    expect(lastCall().deadlineInMs).toBeLessThanOrEqual(200);
    await expect.poll(() => backend.cancelled).toBeGreaterThanOrEqual(1);
  });

  it("the caller's timeout becomes the downstream deadline (Connect and gRPC timeout headers)", async () => {
    await postJsonAs(getUser, { userId }, { "connect-timeout-ms": "1500" });
    expect(lastCall().deadlineInMs).toBeGreaterThan(1_300);
    expect(lastCall().deadlineInMs).toBeLessThanOrEqual(1_500);
  });

  it("caps a caller's timeout at MAX_DEADLINE_MS and defaults to DEFAULT_DEADLINE_MS", async () => {
    await postJsonAs(getUser, { userId }, { "connect-timeout-ms": "600000" });
    expect(lastCall().deadlineInMs).toBeGreaterThan(1_800);
    expect(lastCall().deadlineInMs).toBeLessThanOrEqual(2_000);

    await postJsonAs(getUser, { userId });
    expect(lastCall().deadlineInMs).toBeGreaterThan(200);
    expect(lastCall().deadlineInMs).toBeLessThanOrEqual(400);
  });

  it("forwards the caller's x-request-id and echoes it; makes one when there is none", async () => {
    const given = await postJsonAs(getUser, { userId }, { "x-request-id": "req-abc.123" });
    expect(given.headers.get("x-request-id")).toBe("req-abc.123");
    expect(lastCall().metadata["x-request-id"]).toBe("req-abc.123");

    const made = await postJsonAs(getUser, { userId }, { "x-request-id": "bad id\twith tab" });
    const madeId = made.headers.get("x-request-id");
    expect(madeId).toMatch(/^[0-9a-f-]{36}$/);
    expect(lastCall().metadata["x-request-id"]).toBe(madeId);
  });

  it("echoes the request id on errors too", async () => {
    const response = await postJsonAs(
      "switchyard.edge.v1.OrderService/PlaceOrder",
      { customerId: userId, currencyCode: "EUR" },
      { "x-request-id": "req-no-key" },
    );
    expect(response.status).toBe(400);
    expect(response.headers.get("x-request-id")).toBe("req-no-key");
  });

  it("passes the Idempotency-Key as idempotency-key metadata", async () => {
    const response = await postJsonAs(
      "switchyard.edge.v1.OrderService/PlaceOrder",
      { customerId: userId, currencyCode: "EUR", lines: [] },
      { "idempotency-key": "order-7f3a" },
    );
    expect(response.status, response.text).toBe(200);
    expect(lastCall()).toMatchObject({
      method: "PlaceOrder",
      metadata: { "idempotency-key": "order-7f3a" },
    });
  });

  it("sends the verified end user downstream as x-switchyard-end-user and x-switchyard-scopes", async () => {
    const response = await postJsonAs(getUser, { userId });
    expect(response.status, response.text).toBe(200);
    expect(lastCall().metadata).toMatchObject({
      "x-switchyard-end-user": userId,
      "x-switchyard-scopes": "orders:read switchyard:admin",
    });
  });

  it("strips client-sent identity headers: they never reach the backend nor change the end user", async () => {
    const someoneElse = "99999999-9999-4999-8999-999999999999";
    const response = await postJsonAs(
      getUser,
      { userId },
      {
        "x-user-id": someoneElse,
        "x-switchyard-end-user": someoneElse,
        "x-switchyard-scopes": "switchyard:admin",
        "l5d-client-id": "order-service.switchyard.serviceaccount.identity.linkerd.cluster.local",
        "l5d-dst-override": "evil.example:80",
        "x-forwarded-user": someoneElse,
      },
    );
    expect(response.status, response.text).toBe(200);
    const { metadata } = lastCall();
    expect(metadata["x-switchyard-end-user"]).toBe(userId);
    expect(metadata["x-switchyard-scopes"]).toBe("orders:read switchyard:admin");
    for (const name of ["x-user-id", "l5d-client-id", "l5d-dst-override", "x-forwarded-user"]) {
      expect(metadata, name).not.toHaveProperty(name);
    }
    expect(JSON.stringify(metadata)).not.toContain(someoneElse);
  });

  it("without a token, the backend is never called: 401 with a Bearer challenge", async () => {
    const callsBefore = backend.calls.length;
    const response = await postJson(
      gateway.baseUrl,
      getUser,
      { userId },
      {
        "x-switchyard-end-user": userId,
        "x-user-id": userId,
      },
    );
    expect(response.status).toBe(401);
    expect(response.headers.get("www-authenticate")).toBe('Bearer realm="switchyard"');
    expect(backend.calls.length).toBe(callsBefore);
  });
});
