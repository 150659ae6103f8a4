import { Writable } from "node:stream";
import * as grpc from "@grpc/grpc-js";
import {
  HealthClient,
  HealthCheckResponse_ServingStatus as ServingStatus,
} from "@switchyard/contracts/grpc/grpc/health/v1/health";
import {
  UserServiceClient,
  UserServiceService,
  UserStatus,
} from "@switchyard/contracts/grpc/switchyard/user/v1/user_service";
import { callUnary, unary } from "@switchyard/grpc-kit";
import { createLogger } from "@switchyard/logging";
import { scrape, sumOf } from "@switchyard/metrics/testing";
import {
  createTestCertificates,
  type TestCertificates,
} from "@switchyard/workload-identity/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  bindService,
  defineGrpcService,
  grpcServiceConfigShape,
  startGrpcService,
} from "../src/index.js";
import {
  accessPolicyWithTestCaller,
  testCallerWorkload,
  testClient,
  testIdentity,
  tlsEnv,
} from "../src/testing.js";

let certs: TestCertificates;

beforeAll(() => {
  certs = createTestCertificates({ workloads: ["user-service", testCallerWorkload] });
});
afterAll(() => certs?.remove());

/** GetUser waits for the test to open the gate: calls stay in flight as long as it wants. */
function gatedService() {
  let open: () => void = () => {};
  let gate = new Promise<void>((resolve) => {
    open = resolve;
  });
  const declaration = defineGrpcService({
    name: "user-service",
    config: grpcServiceConfigShape({ defaultPort: 0 }),
    grpc: () => [
      bindService(UserServiceService, {
        getUser: unary(async (request) => {
          await gate;
          return {
            user: {
              userId: request.userId,
              email: "gated@example.com",
              givenName: "Gated",
              familyName: "",
              status: UserStatus.USER_STATUS_ACTIVE,
              version: 1n,
            },
          };
        }),
        registerUser: unary(async () => ({})),
        updateUser: unary(async () => ({})),
        listUsers: unary(async () => ({ users: [], nextPageToken: "" })),
        suspendUser: unary(async () => ({})),
      }),
    ],
  });
  return {
    declaration,
    openGate: () => open(),
    closeGate: () => {
      gate = new Promise<void>((resolve) => {
        open = resolve;
      });
    },
  };
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

describe("load shedding (adaptive concurrency limit in THE chain)", () => {
  it("with the limit forced to 4: excess calls get RESOURCE_EXHAUSTED with a pushback trailer at once, admitted calls succeed, health stays SERVING", async () => {
    const service = gatedService();
    const logLines: string[] = [];
    const destination = new Writable({
      write(chunk, _encoding, done) {
        logLines.push(String(chunk));
        done();
      },
    });
    const started = performance.now();
    const running = await startGrpcService(service.declaration, {
      env: {
        ...tlsEnv(certs, "user-service"),
        SHUTDOWN_GRACE_MS: "500",
        LOAD_SHEDDING_INITIAL_LIMIT: "4",
        LOAD_SHEDDING_MIN_LIMIT: "4",
        LOAD_SHEDDING_MAX_LIMIT: "4",
        LOAD_SHEDDING_PUSHBACK_MS: "250",
      },
      logger: createLogger({ service: "shed-test", level: "warn", destination }),
      policy: accessPolicyWithTestCaller("user-service"),
    });
    const identity = testIdentity(certs, testCallerWorkload);
    const target = { target: running.target, server: "user-service" as const, identity };
    const users = testClient(UserServiceClient, target);
    const health = testClient(HealthClient, target);
    try {
      const getUser = () => callUnary(users.getUser.bind(users), { userId: "u-1" });
      // The first four fill the limit and wait at the gate.
      const held = Array.from({ length: 4 }, getUser);
      for (let i = 0; i < 200 && running.loadShedding()?.inFlight !== 4; i++) {
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      expect(running.loadShedding()).toEqual({ limit: 4, inFlight: 4, rejections: 0 });

      // The overload: 60 more at once, all refused without waiting for the held ones.
      const timings: number[] = [];
      const refused = await Promise.all(
        Array.from({ length: 60 }, async () => {
          const started = performance.now();
          const error = await getUser().then(
            () => undefined,
            (e: grpc.ServiceError) => e,
          );
          timings.push(performance.now() - started);
          return error;
        }),
      );
      for (const error of refused) {
        expect(error?.code).toBe(grpc.status.RESOURCE_EXHAUSTED);
        expect(error?.metadata.get("grpc-retry-pushback-ms")).toEqual(["250"]);
      }
      // One at a time: the latency of a single refusal, without 60 calls queued on one channel.
      const sequential: number[] = [];
      for (let i = 0; i < 40; i++) {
        const started = performance.now();
        const error = await getUser().then(
          () => undefined,
          (e: grpc.ServiceError) => e,
        );
        sequential.push(performance.now() - started);
        expect(error?.code).toBe(grpc.status.RESOURCE_EXHAUSTED);
      }
      // The shedder's own time per refusal (its histogram): one sample each.
      const exposition = await scrape(running.metricsUrl);
      const serverCount = sumOf(exposition, "switchyard_load_shedding_rejection_duration_count");
      const serverSumMs =
        sumOf(exposition, "switchyard_load_shedding_rejection_duration_sum") * 1e3;
      expect(serverCount).toBe(100);
      // The overload is logged, but at most once a second (the first refusal logs at once).
      const warnings = logLines.filter((line) => line.includes('"msg":"shedding load"')).length;
      expect(warnings).toBeGreaterThanOrEqual(1);
      expect(warnings).toBeLessThanOrEqual(1 + (performance.now() - started) / 1_000);
      // Reported, not asserted: the test machine is shared and loaded. The 60 are one burst on
      // one channel, so each waits for the ones before it in both event loops.
      const ms = (values: number[], p: number) => `${percentile(values, p).toFixed(1)} ms`;
      console.info(
        `load shedding (client-side, mTLS channel): 60 concurrent rejections p50 ${ms(timings, 50)} p99 ${ms(timings, 99)}; 40 sequential rejections p50 ${ms(sequential, 50)} p99 ${ms(sequential, 99)}; server-side mean ${(serverSumMs / serverCount).toFixed(3)} ms`,
      );

      // Health is never shed, even with the limit full.
      const status = await callUnary(health.check.bind(health), { service: "" });
      expect(status.status).toBe(ServingStatus.SERVING);

      service.openGate();
      const answers = await Promise.all(held);
      expect(answers.map((a) => a.user?.givenName)).toEqual(Array(4).fill("Gated"));
      expect(running.loadShedding()).toEqual({ limit: 4, inFlight: 0, rejections: 100 });
      // Slots come back: the next call is admitted.
      expect((await getUser()).user?.userId).toBe("u-1");
    } finally {
      users.close();
      health.close();
      identity.close();
      await running.stop();
    }
  });

  it("LOAD_SHEDDING=off leaves the step out", async () => {
    const service = gatedService();
    service.openGate();
    const running = await startGrpcService(service.declaration, {
      env: { ...tlsEnv(certs, "user-service"), LOAD_SHEDDING: "off" },
      logger: createLogger({ service: "shed-test", level: "silent" }),
    });
    expect(running.loadShedding()).toBeUndefined();
    await running.stop();
  });
});
