import { readFileSync } from "node:fs";
import { Writable } from "node:stream";
import { TLSSocket } from "node:tls";
import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { WebService } from "@switchyard/contracts/connect/switchyard/bff/web/v1/web_service_pb";
import { createTestTokenIssuer, type TestTokenIssuer } from "@switchyard/end-user-auth/testing";
import { createLogger } from "@switchyard/logging";
import {
  createTestCertificates,
  type TestCertificates,
} from "@switchyard/workload-identity/testing";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import {
  connectHostConfigShape,
  defineConnectService,
  portSetting,
  type RunningConnectService,
  startConnectService,
} from "../src/index.js";

const closedClients: string[] = [];

/** A small internal deployable: WebService answering an empty dashboard, nothing upstream. */
const probe = defineConnectService({
  name: "web-bff",
  configShape: { ...connectHostConfigShape, PROBE_PORT: portSetting.default(0) },
  callers: "workloads",
  listenOn: (config) => ({ host: "127.0.0.1", port: config.PROBE_PORT }),
  upstreams: () => ({ close: () => void closedClients.push("closed") }),
  routes: () => (router) =>
    router.service(WebService, {
      getDashboard: () => ({ recentOrders: [], degradedSections: [] }),
      getOrderPage: () => ({ degradedSections: [] }),
    }),
});

let certs: TestCertificates;
let tokens: TestTokenIssuer;
let running: RunningConnectService;
const logLines: string[] = [];

beforeAll(async () => {
  certs = createTestCertificates({ workloads: ["web-bff", "gateway", "order-service"] });
  tokens = await createTestTokenIssuer();
  running = await startConnectService(probe, {
    env: {
      TLS_CA_FILE: certs.caFile,
      TLS_CERT_FILE: certs.certFile("web-bff"),
      TLS_KEY_FILE: certs.keyFile("web-bff"),
      SHUTDOWN_GRACE_MS: "500",
      ...tokens.env(),
    },
    logger: createLogger({
      service: "probe",
      level: "debug",
      destination: new Writable({
        write(chunk, _encoding, done) {
          logLines.push(String(chunk));
          done();
        },
      }),
    }),
  });
});
afterAll(async () => {
  certs?.remove();
  tokens?.remove();
});

const clientAs = (workload: string) =>
  createClient(
    WebService,
    createGrpcTransport({
      baseUrl: running.url,
      nodeOptions: {
        ca: readFileSync(certs.caFile),
        cert: readFileSync(certs.certFile(workload)),
        key: readFileSync(certs.keyFile(workload)),
        servername: "web-bff",
      },
    }),
  );

describe("startConnectService", () => {
  it("serves an internal declaration over mTLS, for the workloads the policy lists", async () => {
    expect(running.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const dashboard = await clientAs("gateway").getDashboard(
      {},
      { headers: { authorization: await tokens.authorization("u1") } },
    );
    expect(dashboard.degradedSections).toEqual([]);
  });

  it("runs the chain in order: the request id first, workload authorization before the token", async () => {
    // order-service is of our CA but not listed: refused before its (missing) token is looked at.
    const refused = await clientAs("order-service")
      .getDashboard({}, { headers: { "x-request-id": "req-1" } })
      .then(() => undefined, ConnectError.from);
    expect(refused?.code).toBe(Code.PermissionDenied);
    expect(refused?.metadata.get("x-request-id")).toBe("req-1");
    // The gateway without a token: past the workload check, stopped by authentication.
    const anonymous = await clientAs("gateway")
      .getDashboard({}, { headers: { "x-request-id": "req-2" } })
      .then(() => undefined, ConnectError.from);
    expect(anonymous?.code).toBe(Code.Unauthenticated);
    expect(anonymous?.metadata.get("x-request-id")).toBe("req-2");
  });

  it("reads a caller's certificate once per connection, and never lends it to another connection", async () => {
    const reads = vi.spyOn(TLSSocket.prototype, "getPeerCertificate");
    // The server's reads only (node:tls marks its end; a client checks the server's too).
    const serverReads = () =>
      reads.mock.contexts.filter(
        (socket) => (socket as { _tlsOptions?: { isServer?: boolean } })._tlsOptions?.isServer,
      ).length;
    try {
      const gateway = clientAs("gateway");
      const authorization = await tokens.authorization("u1");
      for (let call = 0; call < 3; call++) {
        await gateway.getDashboard({}, { headers: { authorization } });
      }
      expect(serverReads()).toBe(1);
      const refused = await clientAs("order-service")
        .getDashboard({}, { headers: { authorization } })
        .then(() => undefined, ConnectError.from);
      expect(refused?.code).toBe(Code.PermissionDenied);
      expect(serverReads()).toBe(2);
      await gateway.getDashboard({}, { headers: { authorization } });
      expect(serverReads()).toBe(2);
    } finally {
      reads.mockRestore();
    }
  });

  it("stops in THE order: not serving, drain HTTP, close clients, stop watching TLS files, flush metrics, flush traces", async () => {
    await running.stop();
    const steps = logLines
      .map((line) => JSON.parse(line) as { msg: string; step?: string })
      .filter((line) => line.msg === "shutdown step finished")
      .map((line) => line.step);
    expect(closedClients).toEqual(["closed"]);
    expect((await running.health.checkReadiness()).ready).toBe(false);
    expect(steps).toEqual([
      "mark not serving",
      "drain HTTP",
      "close upstream clients",
      "stop watching TLS files",
      "flush metrics",
      "flush traces",
    ]);
  });
});
