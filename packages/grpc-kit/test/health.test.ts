import * as grpc from "@grpc/grpc-js";
import {
  type HealthCheckResponse,
  HealthClient,
  HealthCheckResponse_ServingStatus as ServingStatus,
} from "@switchyard/contracts/grpc/grpc/health/v1/health";
import { HealthRegistry } from "@switchyard/lifecycle";
import { afterEach, describe, expect, it } from "vitest";
import { callUnary, createGrpcClient } from "../src/index.js";
import { plaintextClient } from "./support/plaintext.js";
import { startTestServer, type TestServer } from "./support/test-server.js";

const userService = "switchyard.user.v1.UserService";
let server: TestServer | undefined;
let client: HealthClient | undefined;

afterEach(async () => {
  client?.close();
  await server?.close();
  server = undefined;
  client = undefined;
});

async function start(health: HealthRegistry, healthPollIntervalMs = 50) {
  server = await startTestServer({ health, healthPollIntervalMs });
  client = createGrpcClient(HealthClient, {
    target: server.address,
    credentials: plaintextClient(),
  });
  return client;
}

async function check(health: HealthClient, service: string): Promise<ServingStatus> {
  const response = await callUnary(health.check.bind(health), { service });
  return response.status;
}

/** Collects Watch updates; `next()` resolves with the next status received (or fails). */
function watch(health: HealthClient, service: string) {
  const received: ServingStatus[] = [];
  const waiters: Array<(status: ServingStatus) => void> = [];
  const call = health.watch({ service }, new grpc.Metadata(), { deadline: Infinity });
  call.on("data", (response: HealthCheckResponse) => {
    const waiter = waiters.shift();
    if (waiter) waiter(response.status);
    else received.push(response.status);
  });
  call.on("error", () => {});
  return {
    call,
    next: (timeoutMs = 2000) =>
      new Promise<ServingStatus>((resolve, reject) => {
        const queued = received.shift();
        if (queued !== undefined) return resolve(queued);
        const timer = setTimeout(
          () => reject(new Error(`no Watch update within ${timeoutMs} ms`)),
          timeoutMs,
        );
        waiters.push((status) => {
          clearTimeout(timer);
          resolve(status);
        });
      }),
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("grpc.health.v1 driven by readiness", () => {
  it("answers SERVING for the server and each service when every readiness check passes", async () => {
    const registry = new HealthRegistry();
    registry.addReadinessCheck("database", async () => {});
    const health = await start(registry);

    expect(await check(health, "")).toBe(ServingStatus.SERVING);
    expect(await check(health, userService)).toBe(ServingStatus.SERVING);
  });

  it("answers NOT_SERVING while a readiness check fails, and SERVING again once it passes", async () => {
    const registry = new HealthRegistry();
    let databaseUp = false;
    registry.addReadinessCheck("database", async () => {
      if (!databaseUp) throw new Error("connection refused");
    });
    const health = await start(registry);

    expect(await check(health, "")).toBe(ServingStatus.NOT_SERVING);
    expect(await check(health, userService)).toBe(ServingStatus.NOT_SERVING);
    databaseUp = true;
    await sleep(300);
    expect(await check(health, userService)).toBe(ServingStatus.SERVING);
    const logged = server?.logs.lines.find((line) => line.msg === "readiness: NOT_SERVING");
    expect(JSON.stringify(logged)).toContain("connection refused");
  });

  it("pushes every change to a Watch", async () => {
    const registry = new HealthRegistry();
    let databaseUp = true;
    registry.addReadinessCheck("database", async () => {
      if (!databaseUp) throw new Error("connection refused");
    });
    const health = await start(registry);
    const watcher = watch(health, userService);

    expect(await watcher.next()).toBe(ServingStatus.SERVING);
    databaseUp = false;
    expect(await watcher.next()).toBe(ServingStatus.NOT_SERVING);
    databaseUp = true;
    expect(await watcher.next()).toBe(ServingStatus.SERVING);
    watcher.call.cancel();
  });

  it("flips to NOT_SERVING the moment shutdown is marked, not at the next poll", async () => {
    const registry = new HealthRegistry();
    const health = await start(registry, 60_000);
    const watcher = watch(health, "");
    expect(await watcher.next()).toBe(ServingStatus.SERVING);

    const markedAt = Date.now();
    registry.markShuttingDown();
    expect(await watcher.next()).toBe(ServingStatus.NOT_SERVING);
    expect(Date.now() - markedAt).toBeLessThan(1000);
    expect(await check(health, userService)).toBe(ServingStatus.NOT_SERVING);
    watcher.call.cancel();
  });

  it("rejects Check for an unknown service with NOT_FOUND and Watch with SERVICE_UNKNOWN", async () => {
    const health = await start(new HealthRegistry());

    await expect(check(health, "no.such.Service")).rejects.toMatchObject({
      code: grpc.status.NOT_FOUND,
    });
    const watcher = watch(health, "no.such.Service");
    expect(await watcher.next()).toBe(ServingStatus.SERVICE_UNKNOWN);
    watcher.call.cancel();
  });

  it("lists the server and every service with their status", async () => {
    const health = await start(new HealthRegistry());

    const response = await callUnary(health.list.bind(health), {});
    expect(response.statuses).toEqual({
      "": { status: ServingStatus.SERVING },
      [userService]: { status: ServingStatus.SERVING },
    });
  });
});
