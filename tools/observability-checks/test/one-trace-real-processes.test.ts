import { randomBytes } from "node:crypto";
import { fileURLToPath } from "node:url";
import { createTestTokenIssuer, type TestTokenIssuer } from "@switchyard/end-user-auth/testing";
import { tlsEnv } from "@switchyard/service-host/testing";
import {
  createTestDatabase,
  createTestNats,
  type RunningEntryPoint,
  spawnEntryPoint,
  type TestDatabase,
  type TestNats,
} from "@switchyard/testing";
import { type OtlpReceiver, startOtlpReceiver } from "@switchyard/tracing/receiver";
import {
  createTestCertificates,
  type TestCertificates,
} from "@switchyard/workload-identity/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postJson } from "./support/connect-json.js";

// Proof of pattern 20 (tracing), real OTLP exporter: the gateway and user-service run as their
// own processes (their src/main.ts, as production runs them), configured by the standard
// OTEL_* variables only, exporting to a local OTLP/HTTP receiver on port 0 — the gateway over
// http/json, user-service over http/protobuf — and the receiver gets ONE trace from both.

const repositoryRoot = fileURLToPath(new URL("../../..", import.meta.url));

let receiver: OtlpReceiver;
let certs: TestCertificates;
let database: TestDatabase;
let nats: TestNats;
let tokens: TestTokenIssuer;
let userService: RunningEntryPoint | undefined;
let gatewayProcess: RunningEntryPoint | undefined;
let gatewayUrl = "";

const portOf = (line: string) => (JSON.parse(line) as { port: number }).port;

beforeAll(async () => {
  receiver = await startOtlpReceiver();
  certs = createTestCertificates({ workloads: ["user-service", "gateway"] });
  database = await createTestDatabase({ prefix: "traces_proc" });
  nats = await createTestNats();
  tokens = await createTestTokenIssuer();
  userService = await spawnEntryPoint({
    entry: "services/user-service/src/main.ts",
    cwd: repositoryRoot,
    env: {
      GRPC_HOST: "127.0.0.1",
      GRPC_PORT: "0",
      ADMIN_PORT: "0",
      DATABASE_URL: database.url,
      NATS_URL: nats.url,
      EVENTS_NAMESPACE: nats.prefix,
      SHUTDOWN_DRAIN_DELAY_MS: "0",
      ...tlsEnv(certs, "user-service"),
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
      OTEL_EXPORTER_OTLP_PROTOCOL: "http/protobuf",
    },
    readyLine: '"user-service listening"',
    timeoutMs: 90_000,
  });
  gatewayProcess = await spawnEntryPoint({
    entry: "gateway/src/main.ts",
    cwd: repositoryRoot,
    env: {
      GATEWAY_PORT: "0",
      ADMIN_PORT: "0",
      USER_SERVICE_TARGET: `127.0.0.1:${portOf(userService.matchedLine)}`,
      ORDER_SERVICE_TARGET: "127.0.0.1:9",
      WEB_BFF_TARGET: "127.0.0.1:9",
      V1_SUNSET: "Sat, 01 May 2027 00:00:00 GMT",
      SHUTDOWN_DRAIN_DELAY_MS: "0",
      ...tlsEnv(certs, "gateway"),
      ...tokens.env(),
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
      OTEL_EXPORTER_OTLP_PROTOCOL: "http/json",
    },
    readyLine: '"gateway listening"',
    timeoutMs: 90_000,
  });
  gatewayUrl = `http://127.0.0.1:${portOf(gatewayProcess.matchedLine)}`;
}, 200_000);

afterAll(async () => {
  await gatewayProcess?.stop("SIGTERM", 15_000);
  await userService?.stop("SIGTERM", 15_000);
  await receiver?.close();
  await database?.drop();
  await nats?.close();
  tokens?.remove();
  certs?.remove();
});

describe("traces from real processes through the OTLP exporter", () => {
  it("a signup through the gateway arrives as ONE trace: gateway (json) → user-service (protobuf), edges intact", async () => {
    const traceId = randomBytes(16).toString("hex");
    const callerSpanId = randomBytes(8).toString("hex");
    const registered = await postJson(
      gatewayUrl,
      "switchyard.edge.v1.UserService/RegisterUser",
      { email: `proc-${randomBytes(4).toString("hex")}@example.com`, fullName: "Grace Hopper" },
      { traceparent: `00-${traceId}-${callerSpanId}-01` },
    );
    expect(registered.status, registered.text).toBe(200);

    // Each process exports in its own batches: wait until both servers' spans are in.
    const trace = await receiver.waitForTrace(traceId, (t) =>
      ["user-service", "gateway"].every((service) =>
        t.spans.some((span) => span.service === service && span.kind === "server"),
      ),
    );
    const gatewayServer = trace.spans.find(
      (span) => span.service === "gateway" && span.kind === "server",
    );
    const gatewayClient = trace.spans.find(
      (span) => span.service === "gateway" && span.kind === "client",
    );
    const userServer = trace.spans.find(
      (span) => span.service === "user-service" && span.kind === "server",
    );
    expect(gatewayServer).toMatchObject({
      name: "switchyard.edge.v1.UserService/RegisterUser",
      parentSpanId: callerSpanId,
      attributes: { "rpc.system": "connect_rpc" },
    });
    expect(gatewayClient).toMatchObject({
      name: "switchyard.user.v1.UserService/RegisterUser",
      parentSpanId: gatewayServer?.spanId,
      attributes: { "rpc.system": "grpc", "rpc.grpc.status_code": 0 },
    });
    expect(userServer).toMatchObject({
      name: "switchyard.user.v1.UserService/RegisterUser",
      parentSpanId: gatewayClient?.spanId,
      status: "unset",
    });
    expect(userServer?.endMs ?? 0).toBeGreaterThanOrEqual(userServer?.startMs ?? Number.NaN);
  });
});
