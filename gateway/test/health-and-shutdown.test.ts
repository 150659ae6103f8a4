import { createClient } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import { UserService } from "@switchyard/contracts/connect/switchyard/edge/v2/user_service_pb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postJson } from "./support/connect-json.js";
import { startGateway } from "./support/gateway-harness.js";
import { type RecordingBackend, startRecordingBackend } from "./support/recording-backend.js";

const userId = "44444444-4444-4444-8444-444444444444";
let backend: RecordingBackend;
beforeAll(async () => {
  backend = await startRecordingBackend();
});
afterAll(() => backend?.stop());

interface Probe {
  status: number;
  body: { status: string; checks?: Record<string, string> };
}

async function getJson(url: string): Promise<Probe> {
  const response = await fetch(url);
  return { status: response.status, body: (await response.json()) as Probe["body"] };
}

describe("probes", () => {
  it("/healthz is 200 while the process runs, whatever the upstreams", async () => {
    const gateway = await startGateway({
      "user-service": "127.0.0.1:9",
      "order-service": "127.0.0.1:9",
    });
    try {
      expect(await getJson(`${gateway.baseUrl}/healthz`)).toEqual({
        status: 200,
        body: { status: "ok" },
      });
    } finally {
      await gateway.close();
    }
  });

  it("/readyz is 200 when user-service and order-service are connectable", async () => {
    const gateway = await startGateway({
      "user-service": backend.target,
      "order-service": backend.target,
    });
    try {
      expect(await getJson(`${gateway.baseUrl}/readyz`)).toEqual({
        status: 200,
        body: { status: "ready", checks: { "user-service": "ok", "order-service": "ok" } },
      });
    } finally {
      await gateway.close();
    }
  });

  it("/readyz is 503 naming the upstream that cannot be reached", async () => {
    const gateway = await startGateway({
      "user-service": backend.target,
      "order-service": "127.0.0.1:9",
    });
    try {
      const { status, body } = await getJson(`${gateway.baseUrl}/readyz`);
      expect(status).toBe(503);
      expect(body.status).toBe("not ready");
      expect(body.checks?.["user-service"]).toBe("ok");
      expect(body.checks?.["order-service"]).toMatch(/not connectable/);
    } finally {
      await gateway.close();
    }
  });

  it("/readyz is 503 once shutdown has begun", async () => {
    const gateway = await startGateway({
      "user-service": backend.target,
      "order-service": backend.target,
    });
    try {
      gateway.health.markShuttingDown();
      const { status, body } = await getJson(`${gateway.baseUrl}/readyz`);
      expect(status).toBe(503);
      expect(body.status).toBe("shutting down");
    } finally {
      await gateway.close();
    }
  });
});

describe("graceful close", () => {
  it("finishes in-flight calls, ends idle HTTP/1.1 and HTTP/2 connections at once, refuses new ones", async () => {
    const gateway = await startGateway({
      "user-service": backend.target,
      "order-service": backend.target,
    });
    const auth = await gateway.auth(userId);
    // Leave one idle keep-alive HTTP/1.1 connection and one idle HTTP/2 session behind.
    await postJson(gateway.baseUrl, "switchyard.edge.v2.UserService/GetUser", { userId }, auth);
    const h2 = createClient(
      UserService,
      createConnectTransport({ baseUrl: gateway.baseUrl, httpVersion: "2" }),
    );
    await h2.getUser({ userId }, { headers: auth });

    backend.getUserDelayMs = 300;
    const inFlight = postJson(
      gateway.baseUrl,
      "switchyard.edge.v2.UserService/GetUser",
      { userId },
      auth,
    );
    await new Promise((resolve) => setTimeout(resolve, 100));
    const started = Date.now();
    const closed = gateway.close();
    const refused = await fetch(`${gateway.baseUrl}/healthz`).then(
      () => false,
      () => true,
    );
    const response = await inFlight;
    await closed;
    backend.getUserDelayMs = 0;

    expect(response.status, response.text).toBe(200);
    expect(refused).toBe(true);
    // The harness grants 500 ms of grace: closing well before it means nothing idle held it.
    expect(Date.now() - started).toBeLessThan(450);
  });
});
