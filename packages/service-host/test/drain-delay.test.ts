import * as grpc from "@grpc/grpc-js";
import {
  HealthClient,
  HealthCheckResponse_ServingStatus as ServingStatus,
} from "@switchyard/contracts/grpc/grpc/health/v1/health";
import { UserServiceClient } from "@switchyard/contracts/grpc/switchyard/user/v1/user_service";
import { callUnary } from "@switchyard/grpc-kit";
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
  certs = createTestCertificates({ workloads: ["user-service", testCallerWorkload] });
  database = await createTestDatabase({ prefix: "service_host_drain" });
  nats = await createTestNats();
});

afterAll(async () => {
  await nats?.close();
  await database?.drop();
  certs?.remove();
});

// Long enough that a loaded machine still makes its calls inside it; the test measures nothing.
const drainDelayMs = 2_500;

describe("drain delay", () => {
  it("after stop(): NOT_SERVING at once, new calls still answered during the delay, refused once drained", async () => {
    const lines: Array<Record<string, unknown>> = [];
    const running = await startGrpcService(greetingService(), {
      env: {
        DATABASE_URL: database.url,
        NATS_URL: nats.url,
        EVENTS_NAMESPACE: nats.prefix,
        SHUTDOWN_GRACE_MS: "1000",
        SHUTDOWN_DRAIN_DELAY_MS: String(drainDelayMs),
        ...tlsEnv(certs, "user-service"),
      },
      logger: createLogger({
        service: "drain-delay-test",
        level: "info",
        destination: { write: (line: string) => void lines.push(JSON.parse(line)) },
      }),
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
    try {
      expect(running.shutdownStepNames.slice(0, 3)).toEqual([
        "mark NOT_SERVING",
        "drain delay (still serving)",
        "drain gRPC",
      ]);
      await callUnary(users.getUser.bind(users), { userId: "before" });

      const stopped = running.stop();
      const stoppedAt = Date.now();
      const status = await callUnary(health.check.bind(health), { service: "" });
      expect(status.status).toBe(ServingStatus.NOT_SERVING);
      // NOT_SERVING is what makes balancers leave; the calls that still arrive are answered.
      const during = await callUnary(users.getUser.bind(users), { userId: "during-delay" });
      expect(during.user?.givenName).toMatch(/^test-client/);
      expect(Date.now() - stoppedAt).toBeLessThan(drainDelayMs);
      expect(lines.some((line) => line.msg === "gRPC server drained")).toBe(false);

      await stopped;
      expect(Date.now() - stoppedAt).toBeGreaterThanOrEqual(drainDelayMs - 50);
      const after = await callUnary(
        users.getUser.bind(users),
        { userId: "after" },
        { deadlineMs: 2_000 },
      ).catch((error: grpc.ServiceError) => error);
      expect(grpc.status[(after as grpc.ServiceError).code]).toBe("UNAVAILABLE");
      const finished = lines
        .filter((line) => line.msg === "shutdown step finished")
        .map((line) => line.step);
      expect(finished.slice(0, 3)).toEqual([
        "mark NOT_SERVING",
        "drain delay (still serving)",
        "drain gRPC",
      ]);
    } finally {
      health.close();
      users.close();
      caller.close();
      await running.stop();
    }
  }, 60_000);
});
