import * as grpc from "@grpc/grpc-js";
import { ConfigError } from "@switchyard/config";
import {
  HealthClient,
  HealthCheckResponse_ServingStatus as ServingStatus,
} from "@switchyard/contracts/grpc/grpc/health/v1/health";
import { UserServiceClient } from "@switchyard/contracts/grpc/switchyard/user/v1/user_service";
import { callUnary, endUserMetadata } from "@switchyard/grpc-kit";
import { createLogger } from "@switchyard/logging";
import {
  createTestDatabase,
  createTestNats,
  type TestDatabase,
  type TestNats,
} from "@switchyard/testing";
import {
  createTestCertificates,
  type TestCertificates,
} from "@switchyard/workload-identity/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startGrpcService } from "../src/index.js";
import {
  accessPolicyWithTestCaller,
  testCallerWorkload,
  testClient,
  testIdentity,
  tlsEnv,
} from "../src/testing.js";
import { greetingService } from "./support/greeting-service.js";

let certs: TestCertificates;
let database: TestDatabase;
let nats: TestNats;

beforeAll(async () => {
  certs = createTestCertificates({
    workloads: ["user-service", "gateway", "web-bff", testCallerWorkload],
  });
  database = await createTestDatabase({ prefix: "service_host" });
  nats = await createTestNats();
});

afterAll(async () => {
  await nats?.close();
  await database?.drop();
  certs?.remove();
});

function memoryLogger() {
  const lines: Array<Record<string, unknown>> = [];
  const logger = createLogger({
    service: "host-test",
    level: "debug",
    destination: { write: (line: string) => void lines.push(JSON.parse(line)) },
  });
  return { logger, lines };
}

const env = () => ({
  DATABASE_URL: database.url,
  NATS_URL: nats.url,
  EVENTS_NAMESPACE: nats.prefix,
  SHUTDOWN_GRACE_MS: "1000",
  ...tlsEnv(certs, "user-service"),
});

describe("startGrpcService", () => {
  it("starts a declaration over mTLS: migrated, SERVING, the standard chain in front of its handlers, then the ordered shutdown", async () => {
    const stopped: string[] = [];
    const { logger, lines } = memoryLogger();
    const running = await startGrpcService(greetingService(stopped), {
      env: env(),
      logger,
      policy: accessPolicyWithTestCaller("user-service"),
    });
    const caller = testIdentity(certs, testCallerWorkload);
    const health = testClient(HealthClient, {
      target: running.target,
      server: "user-service",
      identity: caller,
    });
    const users = testClient(UserServiceClient, {
      target: running.target,
      server: "user-service",
      identity: caller,
    });
    const bffIdentity = testIdentity(certs, "web-bff");
    const bff = testClient(UserServiceClient, {
      target: running.target,
      server: "user-service",
      identity: bffIdentity,
    });
    try {
      const status = await callUnary(health.check.bind(health), { service: "" });
      expect(status.status).toBe(ServingStatus.SERVING);
      // Handlers see the caller the authorization interceptor verified from the certificate.
      const { user } = await callUnary(users.getUser.bind(users), { userId: "u-1" });
      expect(user?.givenName).toBe("test-client (0 greetings)");
      // THE policy still applies to everyone else: web-bff may not register users.
      const refused = await callUnary(
        bff.registerUser.bind(bff),
        {
          email: "x@example.com",
          givenName: "X",
          familyName: "",
        },
        { metadata: endUserMetadata({ subject: "u-1", scopes: [] }) },
      ).catch((error) => error);
      expect(grpc.status[(refused as grpc.ServiceError).code]).toBe("PERMISSION_DENIED");

      expect(running.shutdownStepNames).toEqual([
        "mark NOT_SERVING",
        "drain gRPC",
        "stop event consumers",
        "stop outbox relay",
        "stop idempotency key purge",
        "drain NATS",
        "stop watching TLS files",
        "close database",
        "flush metrics",
        "flush traces",
      ]);
      const listening = lines.find((line) => line.msg === "user-service listening");
      expect((listening?.config as Record<string, unknown> | undefined)?.DATABASE_URL).toBe(
        "[redacted]",
      );
      expect(JSON.stringify(lines)).not.toContain(database.url);
    } finally {
      health.close();
      users.close();
      bff.close();
      caller.close();
      bffIdentity.close();
      await running.stop();
    }
    expect(stopped).toEqual(["background stopped"]);
    const finished = lines.filter((line) => line.msg === "shutdown step finished");
    expect(finished.map((line) => line.step)).toEqual(running.shutdownStepNames);
  });

  it("a bad config is a ConfigError naming every key at fault, before anything is opened", async () => {
    const error = await startGrpcService(greetingService(), {
      env: { GRPC_PORT: "not-a-port", NATS_URL: nats.url },
    }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as ConfigError).message;
    for (const key of ["GRPC_PORT", "DATABASE_URL"]) expect(message).toContain(key);
  });

  it("EVENTS_STREAM_REPLICAS reaches the stream the service produces (a single server refuses 3 copies)", async () => {
    const error = await startGrpcService(greetingService(), {
      env: { ...env(), EVENTS_NAMESPACE: `${nats.prefix}r3`, EVENTS_STREAM_REPLICAS: "3" },
      logger: memoryLogger().logger,
    }).catch((caught: unknown) => caught);
    expect(String(error)).toMatch(/replicas/i);
  });

  it("a failed start closes what it had opened and rethrows", async () => {
    const { logger, lines } = memoryLogger();
    const error = await startGrpcService(greetingService(), {
      // Nothing listens on port 1: NATS cannot connect after the database was opened.
      env: { ...env(), NATS_URL: "nats://127.0.0.1:1" },
      logger,
    }).catch((caught: unknown) => caught);
    expect(String(error)).toContain("cannot connect to NATS");
    const finished = lines.filter((line) => line.msg === "shutdown step finished");
    expect(finished.map((line) => line.step)).toEqual([
      "stop idempotency key purge",
      "stop watching TLS files",
      "close database",
      "flush metrics",
      "flush traces",
    ]);
  });
});
