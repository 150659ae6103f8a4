import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import * as grpc from "@grpc/grpc-js";
import { HealthClient } from "@switchyard/contracts/grpc/grpc/health/v1/health";
import { UserServiceClient } from "@switchyard/contracts/grpc/switchyard/user/v1/user_service";
import { callUnary, createGrpcClient, endUserMetadata } from "@switchyard/grpc-kit";
import { benchIdentity } from "./bench-identity.js";
import { nodeScriptArgs } from "./node-script-args.js";
import { stopChild } from "./stop-child.js";

// The refusal probe of row (j): ONE caller in a process of its own, sending GetUser one call at
// a time (10 ms apart) while the overload runs. The overload's 64 callers share one event loop,
// so the time they see for a refusal includes waiting for their own loop; the probe's loop has
// nothing else to do, so what it sees is the service's answer plus the network — how quickly
// a caller that is not itself overloaded is refused. Between two GetUsers it times a health
// check (never shed, no handler work): the fastest answer the same service gives the same caller
// at that moment — the baseline a refusal's time is read against.

const pauseMs = 10;

/** What the probe saw: each refusal's and health check's time (ms), and other failures. */
export interface ProbeResult {
  refusedMs: number[];
  healthMs: number[];
  otherErrors: number;
}

/**
 * Starts the probe against `target` (as the benchmark's identity, acting as `userId`); resolves
 * once its channel is up. `finish()` ends the probing and returns what it saw.
 */
export async function startRefusalProbe(options: {
  target: string;
  userId: string;
}): Promise<{ finish(): Promise<ProbeResult> }> {
  const child = spawn(process.execPath, nodeScriptArgs(import.meta.url, "refusal-probe"), {
    env: {
      ...process.env,
      BENCH_ROLE: "refusal-probe",
      BENCH_PROBE_TARGET: options.target,
      BENCH_PROBE_USER: options.userId,
    },
    stdio: ["pipe", "pipe", "inherit"],
  });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const next = async (what: string): Promise<Record<string, unknown>> => {
    const line = await lines.next();
    if (line.done) throw new Error(`the refusal probe exited before ${what}`);
    return JSON.parse(line.value) as Record<string, unknown>;
  };
  try {
    await next("its channel was up");
  } catch (error) {
    await stopChild(child, 5_000);
    throw error;
  }
  return {
    async finish() {
      child.stdin.end();
      const result = (await next("it reported")) as unknown as ProbeResult;
      await stopChild(child, 5_000);
      return result;
    },
  };
}

/** The probe process: probes until its stdin closes, then prints what it saw. */
async function runProbe(target: string, userId: string): Promise<void> {
  // As the row's own client does: tsx's source maps would map every frame of each refusal's
  // stack, client CPU that no deployed caller pays.
  process.setSourceMapsEnabled(false);
  const identity = benchIdentity();
  const users = createGrpcClient(UserServiceClient, {
    target,
    ...identity.clientTransport("user-service"),
  });
  const metadata = () => endUserMetadata({ subject: userId, scopes: [] });
  const getUser = () =>
    callUnary(users.getUser.bind(users), { userId }, { deadlineMs: 5_000, metadata: metadata() });
  const health = createGrpcClient(HealthClient, {
    target,
    ...identity.clientTransport("user-service"),
  });
  const check = () => callUnary(health.check.bind(health), { service: "" }, { deadlineMs: 5_000 });
  // Channels, TLS and the first refusal's Error (its first stack trace) before measuring.
  for (let warm = 0; warm < 20; warm++) await Promise.allSettled([getUser(), check()]);
  let probing = true;
  process.stdin.on("end", () => {
    probing = false;
  });
  process.stdin.resume();
  process.stdout.write(`${JSON.stringify({ ready: true })}\n`);
  const result: ProbeResult = { refusedMs: [], healthMs: [], otherErrors: 0 };
  const pause = () => new Promise((resolve) => setTimeout(resolve, pauseMs));
  while (probing) {
    const sent = performance.now();
    const error = await getUser().then(
      () => undefined,
      (failure: grpc.ServiceError) => failure,
    );
    const tookMs = performance.now() - sent;
    if (error?.code === grpc.status.RESOURCE_EXHAUSTED) result.refusedMs.push(tookMs);
    else if (error !== undefined) result.otherErrors++;
    await pause();
    const checked = performance.now();
    const healthy = await check().then(
      () => true,
      () => false,
    );
    if (healthy) result.healthMs.push(performance.now() - checked);
    else result.otherErrors++;
    await pause();
  }
  process.stdout.write(`${JSON.stringify(result)}\n`);
  health.close();
  users.close();
  identity.close();
}

if (process.env.BENCH_ROLE === "refusal-probe") {
  await runProbe(process.env.BENCH_PROBE_TARGET ?? "", process.env.BENCH_PROBE_USER ?? "");
}
