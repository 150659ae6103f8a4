import { createClient } from "@connectrpc/connect";
import { createGrpcTransport, createGrpcWebTransport } from "@connectrpc/connect-node";
import { WebService } from "@switchyard/contracts/connect/switchyard/bff/web/v1/web_service_pb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Backends, startBackends } from "./support/backends.js";
import { startWebBff, type WebBffHarness } from "./support/web-bff-harness.js";

describe("web-bff on one port", () => {
  let backends: Backends;
  let bff: WebBffHarness;
  let customerId: string;

  beforeAll(async () => {
    backends = await startBackends();
    bff = await startWebBff({ ...backends, budgetMs: 2_000 });
    customerId = (await backends.registerUser("Ada", "Lovelace")).userId;
  });
  afterAll(async () => {
    await bff?.close();
    await backends?.close();
  });

  it("answers Connect JSON over HTTP/1.1 (TLS), as curl sends it", async () => {
    const response = await bff.request("/switchyard.bff.web.v1.WebService/GetDashboard", {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-request-id": "trace-me-1",
        authorization: await bff.authorization(customerId),
      },
      body: JSON.stringify({ customerId }),
    });
    expect(response.status, response.text).toBe(200);
    expect(response.headers.get("x-request-id")).toBe("trace-me-1");
    const body = JSON.parse(response.text) as { profile: unknown };
    expect(body.profile).toMatchObject({ customerId, displayName: "Ada Lovelace" });
  });

  it("answers Connect GET for the side-effect-free screens", async () => {
    const message = encodeURIComponent(JSON.stringify({ customerId }));
    const response = await bff.request(
      `/switchyard.bff.web.v1.WebService/GetDashboard?encoding=json&message=${message}`,
      { headers: { authorization: await bff.authorization(customerId) } },
    );
    expect(response.status).toBe(200);
    const body = JSON.parse(response.text) as { profile: { email: string } };
    expect(body.profile.email).toContain("@example.com");
  });

  it("answers gRPC over HTTP/2 and gRPC-Web over HTTP/1.1 on the same port", async () => {
    const grpcClient = createClient(
      WebService,
      createGrpcTransport({ baseUrl: bff.baseUrl, nodeOptions: bff.tlsAs() }),
    );
    const grpcWebClient = createClient(
      WebService,
      createGrpcWebTransport({
        baseUrl: bff.baseUrl,
        httpVersion: "1.1",
        nodeOptions: bff.tlsAs(),
      }),
    );
    // The authenticated user's own dashboard: customer_id left empty.
    const headers = { authorization: await bff.authorization(customerId) };
    const overGrpc = await grpcClient.getDashboard({}, { headers });
    const overGrpcWeb = await grpcWebClient.getDashboard({}, { headers });
    expect(overGrpc.profile?.displayName).toBe("Ada Lovelace");
    expect(overGrpcWeb.profile?.displayName).toBe("Ada Lovelace");
  });

  it("sends a Connect error body, never internals, for a bad request", async () => {
    const response = await bff.request("/switchyard.bff.web.v1.WebService/GetDashboard", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{not json",
    });
    expect(response.status).toBe(400);
    const body = JSON.parse(response.text) as { code: string };
    expect(body.code).toBe("invalid_argument");
    expect(response.text).not.toMatch(/at .*\.(ts|js):\d+/);
  });

  it("serves liveness and readiness, not ready once shutting down", async () => {
    const live = await bff.request("/healthz");
    expect(live.status).toBe(200);
    expect((await bff.request("/readyz")).status).toBe(200);
    bff.health.markShuttingDown();
    const ready = await bff.request("/readyz");
    expect(ready.status).toBe(503);
    expect(JSON.parse(ready.text)).toMatchObject({ status: "shutting down" });
    expect((await bff.request("/healthz")).status).toBe(200);
  });
});
