import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import * as grpc from "@grpc/grpc-js";
import {
  type HealthCheckResponse,
  HealthClient,
  HealthCheckResponse_ServingStatus as ServingStatus,
} from "@switchyard/contracts/grpc/grpc/health/v1/health";
import { UserServiceClient } from "@switchyard/contracts/grpc/switchyard/user/v1/user_service";
import { afterEach, describe, expect, it } from "vitest";
import { callUnary, createGrpcClient } from "../src/index.js";
import { plaintextClient } from "./support/plaintext.js";

const packageDir = fileURLToPath(new URL("..", import.meta.url));
const graceMs = 5000;
let child: ChildProcess | undefined;

afterEach(() => {
  // Only ever the process this test started, by its PID.
  if (child?.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  child = undefined;
});

async function startSlowServer(): Promise<{
  process: ChildProcess;
  port: number;
  stderr: () => string;
}> {
  const started = spawn(
    process.execPath,
    ["--import", "tsx", "--conditions=switchyard-source", "test/fixtures/slow-server.ts"],
    { cwd: packageDir, env: { ...process.env, GRACE_MS: String(graceMs) }, stdio: "pipe" },
  );
  child = started;
  let stderr = "";
  started.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const port = await new Promise<number>((resolve, reject) => {
    let stdout = "";
    started.stdout?.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      const line = stdout.split("\n")[0];
      if (stdout.includes("\n") && line) resolve(Number(line));
    });
    started.once("exit", (code) => reject(new Error(`slow server exited (${code}): ${stderr}`)));
  });
  return { process: started, port, stderr: () => stderr };
}

describe("graceful shutdown", () => {
  it("on SIGTERM readiness flips to NOT_SERVING, in-flight call completes, exit 0 within grace", async () => {
    const server = await startSlowServer();
    const target = `127.0.0.1:${server.port}`;
    const users = createGrpcClient(UserServiceClient, {
      target,
      credentials: plaintextClient(),
    });
    const health = createGrpcClient(HealthClient, {
      target,
      credentials: plaintextClient(),
    });
    const events: string[] = [];
    try {
      // A Watch opened before the signal sees every change the server pushes.
      const watch = health.watch({ service: "" }, new grpc.Metadata(), { deadline: Infinity });
      const statuses: ServingStatus[] = [];
      watch.on("data", (response: HealthCheckResponse) => {
        statuses.push(response.status);
        events.push(`watch:${ServingStatus[response.status]}`);
      });
      watch.on("error", () => {});
      await expect.poll(() => statuses[0], { timeout: 5000 }).toBe(ServingStatus.SERVING);

      const inFlight = callUnary(users.getUser.bind(users), { userId: "slow-1500" }).then(
        (response) => {
          events.push("in-flight call completed");
          return response;
        },
      );
      await new Promise((resolve) => setTimeout(resolve, 300)); // the call is now in the handler
      const exited = once(server.process, "exit") as Promise<[number | null, string | null]>;
      const signalledAt = Date.now();
      server.process.kill("SIGTERM");

      // A new Check after the signal must never report SERVING: NOT_SERVING while the server
      // still accepts calls, UNAVAILABLE once it has stopped accepting them.
      await expect.poll(() => events.includes("watch:NOT_SERVING"), { timeout: 1000 }).toBe(true);
      const checkAfterSignal = await callUnary(health.check.bind(health), { service: "" }).then(
        (answer) => ServingStatus[answer.status],
        (error: grpc.ServiceError) => grpc.status[error.code],
      );
      events.push(`check:${checkAfterSignal}`);

      const response = await inFlight;
      const [exitCode, signal] = await exited;
      const exitedAfterMs = Date.now() - signalledAt;

      expect(response.user?.userId).toBe("slow-1500");
      expect(events.indexOf("watch:NOT_SERVING")).toBeGreaterThan(-1);
      expect(events.indexOf("watch:NOT_SERVING")).toBeLessThan(
        events.indexOf("in-flight call completed"),
      );
      expect(["check:NOT_SERVING", "check:UNAVAILABLE"]).toContain(
        events.find((e) => e.startsWith("check:")),
      );
      expect({ exitCode, signal }).toEqual({ exitCode: 0, signal: null });
      expect(exitedAfterMs).toBeLessThan(graceMs);
      expect(server.stderr()).toContain("shutdown complete");
    } finally {
      users.close();
      health.close();
    }
  });
});
