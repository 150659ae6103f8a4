import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { WebService } from "@switchyard/contracts/connect/switchyard/bff/web/v1/web_service_pb";
import { createTestCertificates } from "@switchyard/workload-identity/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Backends, startBackends } from "./support/backends.js";
import { clientTlsOf, mtlsRequest } from "./support/mtls-fetch.js";
import { startWebBff, type WebBffHarness } from "./support/web-bff-harness.js";

/**
 * web-bff is internal: mTLS with its own workload certificate, and only the workloads the access
 * policy lists (the gateway) may call its methods.
 */
describe("who may reach web-bff", () => {
  let backends: Backends;
  let bff: WebBffHarness;
  let customerId: string;
  const foreign = createTestCertificates({ workloads: ["gateway"] });

  beforeAll(async () => {
    backends = await startBackends();
    bff = await startWebBff({ ...backends, budgetMs: 2_000 });
    customerId = (await backends.registerUser("Ada", "Lovelace")).userId;
  });
  afterAll(async () => {
    await bff?.close();
    await backends?.close();
    foreign.remove();
  });

  const dashboardPath = "/switchyard.bff.web.v1.WebService/GetDashboard";
  const dashboardCall = async () => ({
    method: "POST",
    headers: {
      "content-type": "application/json",
      authorization: await bff.authorization(customerId),
    },
    body: "{}",
  });

  it("the gateway, with its certificate and a user's token, gets the dashboard", async () => {
    const response = await bff.request(dashboardPath, await dashboardCall(), "gateway");
    expect(response.status, response.text).toBe(200);
  });

  it("a plaintext client gets no answer at all (the port speaks only TLS)", async () => {
    const plainUrl = bff.baseUrl.replace("https:", "http:");
    await expect(fetch(`${plainUrl}${dashboardPath}`, await dashboardCall())).rejects.toThrow();
    await expect(fetch(`${plainUrl}/healthz`)).rejects.toThrow();
  });

  it("a client without a certificate, or with one of another CA, fails the TLS handshake", async () => {
    const { cert: _cert, key: _key, ...noCertificate } = bff.tlsAs("gateway");
    await expect(
      mtlsRequest(`${bff.baseUrl}${dashboardPath}`, noCertificate, await dashboardCall()),
    ).rejects.toThrow();
    // A "gateway" certificate from a foreign CA (trusting web-bff's CA, so only OUR check fails).
    const foreignGateway = { ...clientTlsOf(foreign, "gateway"), ca: bff.tlsAs().ca };
    await expect(
      mtlsRequest(`${bff.baseUrl}${dashboardPath}`, foreignGateway, await dashboardCall()),
    ).rejects.toThrow();
  });

  it("a workload of our CA that the policy does not list is PERMISSION_DENIED, before any backend", async () => {
    const asUserService = createClient(
      WebService,
      createGrpcTransport({ baseUrl: bff.baseUrl, nodeOptions: bff.tlsAs("user-service") }),
    );
    const error = await asUserService
      .getDashboard({}, { headers: { authorization: await bff.authorization(customerId) } })
      .then(() => undefined, ConnectError.from);
    expect(error?.code).toBe(Code.PermissionDenied);
    expect(error?.rawMessage).toBe(
      "user-service may not call switchyard.bff.web.v1.WebService/GetDashboard",
    );
  });
});
