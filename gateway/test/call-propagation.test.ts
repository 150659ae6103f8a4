import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postJson } from "./support/connect-json.js";
import { type GatewayHarness, startGateway } from "./support/gateway-harness.js";
import { type RecordingBackend, startRecordingBackend } from "./support/recording-backend.js";

const getUser = "switchyard.edge.v2.UserService/GetUser";
const userId = "22222222-2222-4222-8222-222222222222";

let backend: RecordingBackend;
let gateway: GatewayHarness;
beforeAll(async () => {
  backend = await startRecordingBackend();
  gateway = await startGateway(
    { "user-service": backend.target, "order-service": backend.target },
    { defaultDeadlineMs: 400, maxDeadlineMs: 2_000 },
  );
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
  it("a caller timeout of 50 ms against a slow backend → 504 deadline_exceeded, backend call cancelled", async () => {
    backend.getUserDelayMs = 1_000;
    const started = Date.now();
    const response = await postJson(
      gateway.baseUrl,
      getUser,
      { userId },
      { "connect-timeout-ms": "50" },
    );
    const elapsed = Date.now() - started;
    backend.getUserDelayMs = 0;

    expect(response.status, response.text).toBe(504);
    expect(response.body).toEqual({ code: "deadline_exceeded", message: "deadline exceeded" });
    expect(elapsed).toBeLessThan(500);
    expect(lastCall().deadlineInMs).toBeLessThanOrEqual(50);
    await expect.poll(() => backend.cancelled).toBeGreaterThanOrEqual(1);
  });

  it("the caller's timeout becomes the downstream deadline (Connect and gRPC timeout headers)", async () => {
    await postJson(gateway.baseUrl, getUser, { userId }, { "connect-timeout-ms": "1500" });
    expect(lastCall().deadlineInMs).toBeGreaterThan(1_300);
    expect(lastCall().deadlineInMs).toBeLessThanOrEqual(1_500);
  });

  it("caps a caller's timeout at MAX_DEADLINE_MS and defaults to DEFAULT_DEADLINE_MS", async () => {
    await postJson(gateway.baseUrl, getUser, { userId }, { "connect-timeout-ms": "600000" });
    expect(lastCall().deadlineInMs).toBeGreaterThan(1_800);
    expect(lastCall().deadlineInMs).toBeLessThanOrEqual(2_000);

    await postJson(gateway.baseUrl, getUser, { userId });
    expect(lastCall().deadlineInMs).toBeGreaterThan(200);
    expect(lastCall().deadlineInMs).toBeLessThanOrEqual(400);
  });

  it("forwards the caller's x-request-id and echoes it; makes one when there is none", async () => {
    const given = await postJson(
      gateway.baseUrl,
      getUser,
      { userId },
      { "x-request-id": "req-abc.123" },
    );
    expect(given.headers.get("x-request-id")).toBe("req-abc.123");
    expect(lastCall().metadata["x-request-id"]).toBe("req-abc.123");

    const made = await postJson(
      gateway.baseUrl,
      getUser,
      { userId },
      { "x-request-id": "bad id\twith tab" },
    );
    const madeId = made.headers.get("x-request-id");
    expect(madeId).toMatch(/^[0-9a-f-]{36}$/);
    expect(lastCall().metadata["x-request-id"]).toBe(madeId);
  });

  it("echoes the request id on errors too", async () => {
    const response = await postJson(
      gateway.baseUrl,
      "switchyard.edge.v1.OrderService/PlaceOrder",
      { customerId: userId, currencyCode: "EUR" },
      { "x-request-id": "req-no-key" },
    );
    expect(response.status).toBe(400);
    expect(response.headers.get("x-request-id")).toBe("req-no-key");
  });

  it("passes the Idempotency-Key as idempotency-key metadata", async () => {
    const response = await postJson(
      gateway.baseUrl,
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
});
