import { createServer } from "node:net";
import { monitorEventLoopDelay } from "node:perf_hooks";
import * as grpc from "@grpc/grpc-js";
import {
  HealthClient,
  HealthCheckResponse_ServingStatus as ServingStatus,
} from "@switchyard/contracts/grpc/grpc/health/v1/health";
import { UserServiceClient } from "@switchyard/contracts/grpc/switchyard/user/v1/user_service";
import { callUnary, createGrpcClient, endUserMetadata } from "@switchyard/grpc-kit";
import { formatMs, formatTable, percentile } from "@switchyard/load";
import { createTestDatabase, createTestNats, startDelayingProxy } from "@switchyard/testing";
import type { ClientTransport } from "@switchyard/workload-identity";
import { startBenchChild } from "./bench-child.js";
import { cpuMsOf } from "./process-cpu.js";
import { startRefusalProbe } from "./refusal-probe.js";

// Row (j) of bench:edge: load shedding. A user-service of its own (one process, THE declaration,
// mTLS, started by security-pair-process.ts) with its concurrency limit forced to `limit`, on
// a fresh database reached through a TCP proxy that holds every answer of Postgres back:
//
// slow dependency — the realistic overload, the reason a concurrency limit exists: admitted
//   calls wait on Postgres (delayed `dependencyDelayMs`), the service's CPU is mostly idle;
// CPU-bound       — the same service with the delay at 0: admitted GetUser calls burn CPU on the
//   2 cores the client also runs on, so refusals wait in the same CPU and event-loop queue.
//
// Each: `limit` closed-loop callers (normal: nothing should be refused), then 8× that
// (overload) while health is probed every 50 ms. A refused caller waits the refusal's
// grpc-retry-pushback-ms (100 ms, the default; jittered ×0.5–1.5) before its next try, as a
// well-behaved client does — which also keeps the client light. Its CPU and event-loop delay
// are reported: a refusal's time at the client includes waiting for the client's own loop.
// Refusals are timed three times: at the client (call to status), at the server, by the
// shedder's own histogram `switchyard.load_shedding.rejection.duration` (interceptor entry →
// status handed to HTTP/2), scraped from the service's /metrics before and after each phase,
// and during the overload by a probe (refusal-probe.ts): one caller in an idle process of its
// own — what a caller that is not itself the overload waits for its refusal.

const limit = 8;
const dependencyDelayMs = 50;
/** How long a refused caller waits when the refusal names no pushback (it always should). */
const fallbackRetryPauseMs = 100;

/** One phase of the row, split by outcome. */
export interface SheddingPhase {
  workers: number;
  admittedPerSecond: number;
  admittedP50Ms: number;
  admittedP99Ms: number;
  rejections: number;
  /** At the client: from the call to its RESOURCE_EXHAUSTED. */
  rejectedP50Ms: number;
  rejectedP99Ms: number;
  /** At the server (the shedder's histogram over this phase). */
  server: ServerRejections;
  /** Mean time the server held an admitted GetUser (its RED metric over this phase). */
  serverAdmittedMeanMs: number;
  /** Answers other than OK and RESOURCE_EXHAUSTED (should be none). */
  otherErrors: number;
  /** The refusal probe's view (overload only): one caller in an idle process of its own. */
  probe?: {
    refusals: number;
    refusedP50Ms: number;
    refusedP99Ms: number;
    /** The same caller's health checks between its GetUsers: the baseline round trip. */
    healthP50Ms: number;
    healthP99Ms: number;
    otherErrors: number;
  };
  /** CPU over the phase, in % of one core: the user-service, and this process (the client). */
  serverCpuPercent: number;
  clientCpuPercent: number;
  /** 99th percentile of this process's event-loop delay over the phase. */
  clientLoopDelayP99Ms: number;
  healthProbes: number;
  healthServing: number;
}

/** Calls as the service measured them (bucketed: quantiles are bucket upper bounds). */
export interface ServerRejections {
  count: number;
  meanMs: number;
  /** The upper bound (ms) of the bucket holding the median / the 99th percentile. */
  p50AtMostMs: number;
  p99AtMostMs: number;
}

/** Runs row (j) and prints its table. `transport`: the benchmark's gateway identity. */
export async function runLoadSheddingRow(options: {
  transport: ClientTransport;
  seconds: number;
}): Promise<void> {
  // Every refusal is an Error at the client, whose stack grpc-js reads: with tsx's source maps
  // on, each read maps every frame — client CPU per refusal that no deployed client pays. Off
  // for this row (only stack traces' file positions change), restored after.
  const sourceMaps = process.sourceMapsEnabled;
  process.setSourceMapsEnabled(false);
  try {
    await runRow(options);
  } finally {
    process.setSourceMapsEnabled(sourceMaps);
  }
}

async function runRow(options: { transport: ClientTransport; seconds: number }): Promise<void> {
  const database = await createTestDatabase({ prefix: "bench_shed" });
  const nats = await createTestNats();
  const postgres = new URL(database.url);
  const proxy = await startDelayingProxyProcess(
    `${postgres.hostname}:${postgres.port || 5432}`,
    dependencyDelayMs,
  );
  const proxied = new URL(database.url);
  proxied.host = proxy.target;
  let userId: string | undefined;
  try {
    const rows: [string, SheddingPhase][] = [];
    // One service process per case (same database): the CPU-bound one dials Postgres directly.
    for (const [name, databaseUrl] of [
      [`slow dependency (Postgres +${dependencyDelayMs} ms)`, proxied],
      ["CPU-bound (Postgres direct)", postgres],
    ] as const) {
      const service = await startSheddingUserService(databaseUrl.toString(), nats);
      try {
        userId ??= await registerUser(service.target, options.transport);
        const report = await measureLoadShedding({
          target: service.target,
          transport: options.transport,
          userId,
          seconds: options.seconds,
          metricsUrl: service.metricsUrl,
          pid: service.pid,
        });
        rows.push([`${name}: normal`, report.normal], [`${name}: overload`, report.overload]);
      } finally {
        await service.stop();
      }
    }
    console.log();
    console.log(
      `(j) load shedding: GetUser straight to a user-service with its concurrency limit forced to ${limit}; a refused caller retries after the pushback (100 ms); refused at the "client" = call to status at the caller, at the "server" = the shedder's own histogram (p50/p99 as bucket bounds), by the "probe" = one caller in an idle process of its own, one call at a time (overload only), with "its health" = the same caller's health checks in between (never shed: the baseline round trip); admitted "server mean" = GetUser's rpc.server.call.duration; "loop p99" = the client's event-loop delay`,
    );
    console.log(
      formatTable(
        [
          "phase",
          "in flight",
          "admitted/s",
          "admitted p50",
          "p99",
          "server mean",
          "refused",
          "client p50",
          "p99",
          "server mean",
          "p50 ≤",
          "p99 ≤",
          "probe refused",
          "p50",
          "p99",
          "its health p50",
          "p99",
          "other errors",
          "health SERVING",
          "cpu server",
          "client",
          "loop p99",
        ],
        rows.map(([name, phase]) => [
          name,
          String(phase.workers),
          phase.admittedPerSecond.toFixed(0),
          formatMs(phase.admittedP50Ms),
          formatMs(phase.admittedP99Ms),
          `${phase.serverAdmittedMeanMs.toFixed(1)} ms`,
          String(phase.rejections),
          formatMs(phase.rejectedP50Ms),
          formatMs(phase.rejectedP99Ms),
          phase.server.count === 0 ? "-" : `${phase.server.meanMs.toFixed(2)} ms`,
          phase.server.count === 0 ? "-" : formatMs(phase.server.p50AtMostMs),
          phase.server.count === 0 ? "-" : formatMs(phase.server.p99AtMostMs),
          phase.probe === undefined ? "-" : String(phase.probe.refusals),
          phase.probe === undefined ? "-" : formatMs(phase.probe.refusedP50Ms),
          phase.probe === undefined ? "-" : formatMs(phase.probe.refusedP99Ms),
          phase.probe === undefined ? "-" : formatMs(phase.probe.healthP50Ms),
          phase.probe === undefined ? "-" : formatMs(phase.probe.healthP99Ms),
          String(phase.otherErrors + (phase.probe?.otherErrors ?? 0)),
          `${phase.healthServing}/${phase.healthProbes}`,
          `${phase.serverCpuPercent.toFixed(0)}%`,
          `${phase.clientCpuPercent.toFixed(0)}%`,
          formatMs(phase.clientLoopDelayP99Ms),
        ]),
      ),
    );
  } finally {
    await proxy.stop();
    await database.drop();
    await nats.close();
  }
}

/**
 * The normal and the overload phase against a running user-service (after 1 s of each,
 * unmeasured).
 */
export async function measureLoadShedding(options: {
  target: string;
  transport: ClientTransport;
  userId: string;
  seconds: number;
  metricsUrl: string;
  pid: number;
}): Promise<{ normal: SheddingPhase; overload: SheddingPhase }> {
  const { userId } = options;
  const users = createGrpcClient(UserServiceClient, {
    target: options.target,
    ...options.transport,
  });
  const health = createGrpcClient(HealthClient, { target: options.target, ...options.transport });
  const metadata = () => endUserMetadata({ subject: userId, scopes: [] });
  const getUser = () =>
    callUnary(users.getUser.bind(users), { userId }, { deadlineMs: 5_000, metadata: metadata() });
  const phase = async (
    workers: number,
    durationMs: number,
    probed: boolean,
  ): Promise<SheddingPhase> => {
    const probe = probed ? await startRefusalProbe({ target: options.target, userId }) : undefined;
    const serverBefore = await scrapeServer(options.metricsUrl);
    const cpuBefore = cpuMsOf([options.pid]);
    const loopDelay = monitorEventLoopDelay({ resolution: 5 });
    loopDelay.enable();
    let probing = true;
    const answers: number[] = [];
    const prober = (async () => {
      while (probing) {
        const answer = await callUnary(health.check.bind(health), { service: "" }).then(
          (response) => response.status,
          () => ServingStatus.UNKNOWN,
        );
        answers.push(answer);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    })();
    const loop = await closedLoop(getUser, workers, durationMs);
    probing = false;
    const probeResult = await probe?.finish();
    await prober;
    const cpuAfter = cpuMsOf([options.pid]);
    loopDelay.disable();
    const serverAfter = await scrapeServer(options.metricsUrl);
    const elapsedMs = loop.elapsedSeconds * 1000;
    return {
      ...loop.phase,
      server: between(serverBefore.rejections, serverAfter.rejections),
      serverAdmittedMeanMs: between(serverBefore.admitted, serverAfter.admitted).meanMs,
      serverCpuPercent: (100 * (cpuAfter.serversMs - cpuBefore.serversMs)) / elapsedMs,
      clientCpuPercent: (100 * (cpuAfter.clientMs - cpuBefore.clientMs)) / elapsedMs,
      clientLoopDelayP99Ms: loopDelay.percentile(99) / 1e6,
      healthProbes: answers.length,
      healthServing: answers.filter((status) => status === ServingStatus.SERVING).length,
      ...(probeResult === undefined
        ? {}
        : {
            probe: {
              refusals: probeResult.refusedMs.length,
              refusedP50Ms: percentile(probeResult.refusedMs, 50),
              refusedP99Ms: percentile(probeResult.refusedMs, 99),
              healthP50Ms: percentile(probeResult.healthMs, 50),
              healthP99Ms: percentile(probeResult.healthMs, 99),
              otherErrors: probeResult.otherErrors,
            },
          }),
    };
  };
  try {
    // Warm-up, both phases: channel, JIT, the pool's connections — and the refusal path on both
    // sides (the first refusals are the client's first errors, whose first stack traces cost).
    await closedLoop(getUser, limit, 1_000);
    await closedLoop(getUser, limit * 8, 1_000);
    // No probe in the normal phase: it would be a ninth caller against a limit of eight.
    const normal = await phase(limit, options.seconds * 1000, false);
    const overload = await phase(limit * 8, options.seconds * 1000, true);
    return { normal, overload };
  } finally {
    users.close();
    health.close();
  }
}

async function closedLoop(
  call: () => Promise<unknown>,
  workers: number,
  durationMs: number,
): Promise<{
  phase: Omit<
    SheddingPhase,
    | "server"
    | "serverAdmittedMeanMs"
    | "serverCpuPercent"
    | "clientCpuPercent"
    | "clientLoopDelayP99Ms"
    | "healthProbes"
    | "healthServing"
    | "probe"
  >;
  elapsedSeconds: number;
}> {
  const admitted: number[] = [];
  const rejected: number[] = [];
  let otherErrors = 0;
  const started = performance.now();
  const endAt = started + durationMs;
  const worker = async () => {
    while (performance.now() < endAt) {
      const sent = performance.now();
      const error = await call().then(
        () => undefined,
        (failure: grpc.ServiceError) => failure,
      );
      const tookMs = performance.now() - sent;
      if (error === undefined) {
        admitted.push(tookMs);
        continue;
      }
      if (error.code === grpc.status.RESOURCE_EXHAUSTED) rejected.push(tookMs);
      else otherErrors++;
      const pushback = Number(error.metadata?.get("grpc-retry-pushback-ms")[0]);
      const pauseMs = Number.isFinite(pushback) ? pushback : fallbackRetryPauseMs;
      // Jittered (×0.5–1.5), as retry backoffs are: refused together, callers would otherwise
      // all come back together, and each refusal would wait behind a burst of 56 in the client.
      await new Promise((resolve) => setTimeout(resolve, pauseMs * (0.5 + Math.random())));
    }
  };
  await Promise.all(Array.from({ length: workers }, worker));
  const elapsedSeconds = (performance.now() - started) / 1000;
  return {
    elapsedSeconds,
    phase: {
      workers,
      admittedPerSecond: admitted.length / elapsedSeconds,
      admittedP50Ms: percentile(admitted, 50),
      admittedP99Ms: percentile(admitted, 99),
      rejections: rejected.length,
      rejectedP50Ms: percentile(rejected, 50),
      rejectedP99Ms: percentile(rejected, 99),
      otherErrors,
    },
  };
}

/** One histogram in one scrape: cumulative bucket counts by upper bound (s), count, sum. */
interface Histogram {
  buckets: Map<number, number>;
  count: number;
  sumSeconds: number;
}

/**
 * The service's view: the shedder's refusals, and the admitted GetUser calls (the RED metric
 * `rpc.server.call.duration`, status OK) — how long the server held them, without the client.
 */
async function scrapeServer(
  metricsUrl: string,
): Promise<{ rejections: Histogram; admitted: Histogram }> {
  const response = await fetch(metricsUrl);
  if (!response.ok) throw new Error(`${metricsUrl} answered ${response.status}`);
  const text = await response.text();
  return {
    rejections: histogramOf(text, "switchyard_load_shedding_rejection_duration", []),
    admitted: histogramOf(text, "rpc_server_call_duration", [
      'rpc_method="GetUser"',
      'rpc_grpc_status_code="0"',
    ]),
  };
}

function histogramOf(exposition: string, name: string, labels: string[]): Histogram {
  const histogram: Histogram = { buckets: new Map(), count: 0, sumSeconds: 0 };
  for (const line of exposition.split("\n")) {
    if (!line.startsWith(name) || !labels.every((label) => line.includes(label))) continue;
    const value = Number(line.slice(line.lastIndexOf(" ") + 1));
    if (line.startsWith(`${name}_bucket`)) {
      const le = /le="([^"]+)"/.exec(line)?.[1];
      if (le !== undefined) histogram.buckets.set(le === "+Inf" ? Infinity : Number(le), value);
    } else if (line.startsWith(`${name}_count`)) histogram.count = value;
    else if (line.startsWith(`${name}_sum`)) histogram.sumSeconds = value;
  }
  return histogram;
}

function between(before: Histogram, after: Histogram): ServerRejections {
  const count = after.count - before.count;
  const bounds = [...after.buckets.keys()].sort((a, b) => a - b);
  const atMost = (quantile: number) => {
    for (const bound of bounds) {
      const within = (after.buckets.get(bound) ?? 0) - (before.buckets.get(bound) ?? 0);
      if (within >= quantile * count) return bound * 1000;
    }
    return Infinity;
  };
  return {
    count,
    meanMs: count === 0 ? 0 : ((after.sumSeconds - before.sumSeconds) * 1000) / count,
    p50AtMostMs: atMost(0.5),
    p99AtMostMs: atMost(0.99),
  };
}

/** A user to read: registered straight at the user-service, as the gateway does for signup. */
async function registerUser(target: string, transport: ClientTransport): Promise<string> {
  const users = createGrpcClient(UserServiceClient, { target, ...transport });
  try {
    const { user } = await callUnary(users.registerUser.bind(users), {
      email: `bench.j.${Date.now().toString(36)}@bench.example`,
      givenName: "Bench",
      familyName: "Shed",
    });
    if (user === undefined) throw new Error("(j) RegisterUser answered without a user");
    return user.userId;
  } finally {
    users.close();
  }
}

/**
 * The row's user-service (secure, CACHE=off, limit forced) as its own process, on
 * `databaseUrl` and a NATS namespace of the row, its /metrics on a port of its own.
 */
async function startSheddingUserService(
  databaseUrl: string,
  nats: { url: string; prefix: string },
): Promise<{ target: string; metricsUrl: string; pid: number; stop(): Promise<void> }> {
  const adminPort = await freePort();
  const child = await startBenchChild(
    "security-pair-process",
    {
      BENCH_ROLE: "user-service",
      BENCH_MODE: "secure",
      DATABASE_URL: databaseUrl,
      NATS_URL: nats.url,
      EVENTS_NAMESPACE: nats.prefix,
      BENCH_USER_SERVICE_ENV: JSON.stringify({
        LOAD_SHEDDING_INITIAL_LIMIT: String(limit),
        LOAD_SHEDDING_MIN_LIMIT: String(limit),
        LOAD_SHEDDING_MAX_LIMIT: String(limit),
        ADMIN_HOST: "127.0.0.1",
        ADMIN_PORT: String(adminPort),
      }),
    },
    "(j) user-service",
    10_000,
  );
  return {
    target: `127.0.0.1:${child.port}`,
    metricsUrl: `http://127.0.0.1:${adminPort}/metrics`,
    pid: child.pid ?? 0,
    stop: child.stop,
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * A TCP proxy holding each chunk from `upstream` back by `delayMs`, in order — the
 * slow-dependency drill's (tools/drills/src/edge-flow/delaying-proxy.ts), repeated here
 * because the benchmark does not depend on the drills. It runs as a process of its own (this
 * module, BENCH_ROLE=delaying-proxy): in the client's process its timers would wait behind
 * the client's own work, and the admitted calls would measure the load generator.
 */
async function startDelayingProxyProcess(
  upstream: string,
  delayMs: number,
): Promise<{ target: string; stop(): Promise<void> }> {
  const child = await startBenchChild(
    "shedding-overload",
    {
      BENCH_ROLE: "delaying-proxy",
      BENCH_PROXY_UPSTREAM: upstream,
      BENCH_PROXY_DELAY_MS: String(delayMs),
    },
    "(j) delaying proxy",
    10_000,
  );
  return { target: `127.0.0.1:${child.port}`, stop: child.stop };
}

/**
 * The proxy process (its own, so its CPU is not the service's): `startDelayingProxy` of
 * @switchyard/testing — the slow-dependency drill's — delaying every answer by `delayMs`;
 * prints {"port": N}, stops on SIGTERM.
 */
async function runDelayingProxy(upstream: string, delayMs: number): Promise<void> {
  const proxy = await startDelayingProxy(upstream);
  proxy.setDelay(delayMs);
  const port = Number(proxy.target.slice(proxy.target.lastIndexOf(":") + 1));
  process.stdout.write(`${JSON.stringify({ port })}\n`);
  process.once("SIGTERM", () => process.exit(0));
}

if (process.env.BENCH_ROLE === "delaying-proxy") {
  await runDelayingProxy(
    process.env.BENCH_PROXY_UPSTREAM ?? "",
    Number(process.env.BENCH_PROXY_DELAY_MS ?? 0),
  );
}
