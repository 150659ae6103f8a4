import { availableParallelism, cpus } from "node:os";
import { loadConfig } from "@switchyard/config";
import {
  callConnectJson,
  formatMs,
  formatTable,
  median,
  requireRunningStack,
} from "@switchyard/load";
import { ensureDevJwtKeys, mintDevToken } from "@switchyard/token";
import { toHttpBaseUrl, topologyConfigShape, topologyFromConfig } from "@switchyard/topology";
import { bareHopScenario } from "./bare-hop.js";
import { benchIdentity } from "./bench-identity.js";
import { benchUsage, parseBenchOptions } from "./bench-options.js";
import { type LoopResult, runClosedLoop } from "./closed-loop.js";
import { directGetUserScenario, edgeScenarios, type Scenario } from "./edge-scenarios.js";
import { waitForGrpcTarget } from "./grpc-reachability.js";
import { startOtlpSink } from "./otlp-sink.js";
import { cpuMsOf } from "./process-cpu.js";
import { formatPairedRatio, pairedRatio, roundOrder } from "./round-ratios.js";
import { type SecurityPair, securityScenario, startSecurityPair } from "./security-pair.js";
import { runLoadSheddingRow } from "./shedding-overload.js";

// npm run bench:edge — a benchmark, not a test: it measures the running stack (npm start) and
// prints a table; nothing here passes or fails on a number.

let options: ReturnType<typeof parseBenchOptions>;
try {
  options = parseBenchOptions(process.argv.slice(2));
} catch (error) {
  console.error(`${(error as Error).message}\n${benchUsage}`);
  process.exit(2);
}
if (options === "help") {
  console.log(benchUsage);
  process.exit(0);
}

const { concurrency, seconds, warmupSeconds, repeats, scenarios: selected } = options;
// Access tokens from the dev issuer (`npm run token`), whose JWKS the devstack's gateway trusts.
const signingKeyFile =
  process.env.JWT_SIGNING_KEY_FILE ?? (await ensureDevJwtKeys()).signingKeyFile;
const tokenFor = (subject: string) => mintDevToken({ signingKeyFile, subject, ttlSeconds: 3600 });

const scenarios: Scenario[] = [];
const cleanups: (() => Promise<void> | void)[] = [];
const identity = benchIdentity();
cleanups.push(() => identity.close());

// The benchmark's own gateway → user-service pairs (two processes each, fresh database): (e)/(f)
// security off/on, (g) rate limiting on, (h) caches on in both (the gateway's edge tier and
// user-service's), (i) tracing on. Started lazily, each at most once. Both halves run with
// CACHE=off unless the pair says otherwise.
const pairs = new Map<string, Promise<SecurityPair>>();
const pairOf = (
  name: string,
  mode: "plaintext" | "secure",
  options: Parameters<typeof startSecurityPair>[1] = {},
) => {
  let pair = pairs.get(name);
  if (pair === undefined) {
    pair = startSecurityPair(mode, options);
    pairs.set(name, pair);
    const started = pair;
    cleanups.push(async () => (await started).stop());
  }
  return pair;
};
// Tracing on: always_on, exported over OTLP/HTTP (protobuf) to a local endpoint.
const otlpSink = selected.has("i") ? await startOtlpSink() : undefined;
if (otlpSink !== undefined) cleanups.push(() => otlpSink.close());

// (a), the baseline every ratio is taken against: GetUser straight to a user-service with every
// cache bypassed — the (f) pair's user-service (CACHE=off), over mTLS as the gateway.
if (selected.has("a")) {
  const pair = await pairOf("f", "secure");
  const customer = await securityScenario("a", "", pair, tokenFor, 1);
  customer.close();
  // Only user-service's CPU counts for (a): it is the one server process on its path.
  const userServicePid = pair.pids.slice(0, 1);
  scenarios.push(
    directGetUserScenario(pair.userServiceTarget, identity, customer.userId, userServicePid),
  );
}
if (["b", "c", "d"].some((key) => selected.has(key))) {
  const topology = topologyFromConfig(loadConfig(topologyConfigShape, process.env));
  const endpoints = {
    userServiceTarget: topology["user-service"],
    userServiceTransport: identity.clientTransport("user-service"),
    gatewayUrl: process.env.GATEWAY_URL ?? toHttpBaseUrl(topology.gateway),
    webBffUrl:
      process.env.WEB_BFF_URL ?? toHttpBaseUrl(topology["web-bff"]).replace(/^http:/, "https:"),
    // web-bff lets only the gateway in (mTLS + the access policy): (d) calls as the gateway.
    webBffTls: identity.clientTransport("web-bff").nodeTls,
  };
  // web-bff answers only mTLS: (c) and (d) report it if it is down.
  await requireRunningStack([{ name: "gateway", healthUrl: `${endpoints.gatewayUrl}/healthz` }]);
  if (
    !(await waitForGrpcTarget(endpoints.userServiceTarget, endpoints.userServiceTransport, 2_000))
  ) {
    console.error(`no answer from user-service (${endpoints.userServiceTarget})`);
    console.error("start the stack first: npm start");
    process.exit(1);
  }
  const customer = await createCustomerWithOrders(endpoints.gatewayUrl);
  scenarios.push(
    ...edgeScenarios(endpoints, customer, concurrency).filter((s) => selected.has(s.key)),
  );
}
for (const [key, pairName, mode, title, options] of [
  ["e", "e", "plaintext", "GetUser: gateway → user-service, plaintext, token NOT verified", {}],
  ["f", "f", "secure", "GetUser: gateway → user-service, mTLS + authz, JWT verified (ES256)", {}],
  [
    "g",
    "g",
    "secure",
    "GetUser: as (f), gateway rate limiting on (limits above the load)",
    { rateLimits: true },
  ],
  [
    "h",
    "h",
    "secure",
    "GetUser: as (f), cached through the gateway: edge tier + user-service caches on (warm)",
    { userServiceEnv: { CACHE: "on" }, gatewayEnv: { CACHE: "on" } },
  ],
  [
    "i",
    "i",
    "secure",
    "GetUser: as (f), tracing on in both (always_on, OTLP/HTTP export)",
    { userServiceEnv: tracingEnv(), gatewayEnv: tracingEnv() },
  ],
] as const) {
  if (!selected.has(key)) continue;
  const pair = await pairOf(pairName, mode, options);
  scenarios.push(await securityScenario(key, title, pair, tokenFor, concurrency));
}
// (k) and (l), the floors: the least a Node JSON → gRPC hop costs here — (k) node:http, (l)
// connect-node, each with a bare grpc-js client and no checks — to the (f) pair's user-service:
// f/l is the share of the hop that is the gateway's own, l/k what Connect's handling costs.
for (const key of ["k", "l"] as const) {
  if (!selected.has(key)) continue;
  const pair = await pairOf("f", "secure");
  const customer = await securityScenario(key, "", pair, tokenFor, 1);
  customer.close();
  const hop = await bareHopScenario(
    key,
    pair.userServiceTarget,
    pair.pids[0],
    { userId: customer.userId, authorization: `Bearer ${await tokenFor(customer.userId)}` },
    concurrency,
  );
  cleanups.push(() => hop.stop());
  scenarios.push(hop);
}
console.log(
  `bench:edge — ${concurrency} in flight, ${warmupSeconds} s warm-up per scenario, then ${repeats} rounds of ${seconds} s per scenario (interleaved), medians reported`,
);
console.log(
  `machine: ${availableParallelism()} cores (${cpus()[0]?.model ?? "unknown cpu"}), node ${process.version}`,
);

// Rounds, not blocks: every scenario is warmed up, then each round measures every scenario
// once, in order (reversed every other round: `roundOrder`). On a shared machine the background
// load drifts; interleaving makes each ratio compare runs taken minutes apart at most, not a
// whole benchmark apart, and the per-round ratios (`pairedRatio`) seconds apart.
const rows = scenarios.map((scenario) => ({
  key: scenario.key,
  title: scenario.title,
  runs: [] as LoopResult[],
  /**
   * CPU µs per answered request, per run: servers (the row's own processes, in all and each:
   * user-service, then the gateway), client.
   */
  cpu: [] as { servers: number; perServer: number[]; client: number }[],
}));
for (const scenario of scenarios) {
  process.stdout.write(`(${scenario.key}) ${scenario.title}: warm-up\n`);
  await runClosedLoop(scenario.call, { concurrency, durationMs: warmupSeconds * 1000 });
}
for (let run = 1; run <= repeats; run++) {
  process.stdout.write(`round ${run}:`);
  for (const index of roundOrder([...scenarios.keys()], run)) {
    const scenario = scenarios[index] as Scenario;
    const before = cpuMsOf(scenario.pids ?? []);
    const result = await runClosedLoop(scenario.call, { concurrency, durationMs: seconds * 1000 });
    const after = cpuMsOf(scenario.pids ?? []);
    rows[index]?.runs.push(result);
    const answered = Math.max(1, result.completed);
    rows[index]?.cpu.push({
      servers: ((after.serversMs - before.serversMs) * 1000) / answered,
      perServer: after.perServerMs.map(
        (ms, server) => ((ms - (before.perServerMs[server] ?? 0)) * 1000) / answered,
      ),
      client: ((after.clientMs - before.clientMs) * 1000) / answered,
    });
    process.stdout.write(` (${scenario.key}) ${result.requestsPerSecond.toFixed(0)}`);
    if (result.errors > 0)
      process.stdout.write(` [${result.errors} errors: ${result.errorSamples[0]?.slice(0, 120)}]`);
  }
  process.stdout.write(" req/s\n");
}
for (const scenario of scenarios) scenario.close();

// CPU per request of the row's own server processes (rows without them: b-d, the devstack's).
const serverCpu = new Map(
  rows
    .filter((_, index) => (scenarios[index]?.pids ?? []).length > 0)
    .map((row) => [row.key, median(row.cpu.map((cpu) => cpu.servers))]),
);
// The same, process by process ("user-service + gateway"): where a row's extra CPU goes.
const serverCpuByProcess = (row: (typeof rows)[number]) =>
  (row.cpu[0]?.perServer ?? [])
    .map((_, server) => median(row.cpu.map((cpu) => cpu.perServer[server] ?? 0)).toFixed(0))
    .join(" + ");
const medianOf = (runs: LoopResult[], pick: (run: LoopResult) => number) => median(runs.map(pick));
const throughput = new Map(
  rows.map((row) => [row.key, medianOf(row.runs, (run) => run.requestsPerSecond)]),
);
console.log();
console.log(
  formatTable(
    [
      "",
      "scenario",
      "req/s",
      "p50 ms",
      "p99 ms",
      "errors",
      "req/s per run",
      "server CPU µs/req",
      "user-service + gateway",
      "client CPU µs/req",
    ],
    rows.map((row) => [
      `(${row.key})`,
      row.title,
      (throughput.get(row.key) ?? 0).toFixed(0),
      formatMs(medianOf(row.runs, (run) => run.p50Ms)),
      formatMs(medianOf(row.runs, (run) => run.p99Ms)),
      String(row.runs.reduce((sum, run) => sum + run.errors, 0)),
      row.runs.map((run) => run.requestsPerSecond.toFixed(0)).join(" / "),
      serverCpu.has(row.key) ? (serverCpu.get(row.key) ?? 0).toFixed(0) : "-",
      serverCpu.has(row.key) ? serverCpuByProcess(row) : "-",
      median(row.cpu.map((cpu) => cpu.client)).toFixed(0),
    ]),
  ),
);
// Each ratio of the medians, and the median of the same ratio taken round by round.
const perRound = new Map(
  rows.map((row) => [row.key, row.runs.map((run) => run.requestsPerSecond)]),
);
const ratio = (key: string, base: string) => {
  const paired = pairedRatio(perRound.get(key) ?? [], perRound.get(base) ?? []);
  return paired === undefined ? [] : [formatPairedRatio(`${key}/${base}`, paired, repeats)];
};
console.log();
console.log(
  [
    ...["b", "c", "d", "e", "f", "g", "h", "i", "k", "l"].flatMap((key) => ratio(key, "a")),
    ...ratio("f", "e"),
    ...ratio("l", "k"),
    ...ratio("f", "l"),
    ...ratio("g", "f"),
    ...ratio("h", "f"),
    ...ratio("i", "f"),
  ].join("\n"),
);
// The same comparisons by CPU: (base's server µs/req) / (row's), of the medians and round by
// round. On a machine shared with other work this predicts the throughput ratio of a machine
// where these processes are the bottleneck; Postgres and the client are left out (both are in
// every row). The per-round value pairs rows measured seconds apart, as for req/s.
const cpuPerRound = new Map(rows.map((row) => [row.key, row.cpu.map((cpu) => cpu.servers)]));
const cpuRatio = (key: string, base: string) => {
  if (!serverCpu.has(key) || !serverCpu.has(base)) return [];
  const paired = pairedRatio(cpuPerRound.get(base) ?? [], cpuPerRound.get(key) ?? []);
  return paired === undefined ? [] : [formatPairedRatio(`${key}/${base}`, paired, repeats)];
};
console.log();
console.log("by server CPU per request (base µs/req ÷ row's):");
console.log(
  [
    ...["e", "f", "g", "h", "i", "k", "l"].flatMap((key) => cpuRatio(key, "a")),
    ...cpuRatio("f", "e"),
    ...cpuRatio("l", "k"),
    ...cpuRatio("f", "l"),
    ...cpuRatio("g", "f"),
    ...cpuRatio("h", "f"),
    ...cpuRatio("i", "f"),
  ].join("\n"),
);
if (otlpSink !== undefined) {
  const { requests, bytes } = otlpSink.received();
  console.log(`(i) OTLP exports received: ${requests} requests, ${(bytes / 1e6).toFixed(1)} MB`);
}

// (j): load shedding, its own table (shedding-overload.ts): a user-service of its own with its
// concurrency limit forced low, overloaded behind a slow dependency and CPU-bound.
if (selected.has("j")) {
  await runLoadSheddingRow({ transport: identity.clientTransport("user-service"), seconds });
}
for (const cleanup of cleanups) await cleanup();
process.exit(0);

/** OTEL_* settings of the tracing-on row: every span sampled and exported to the sink. */
function tracingEnv(): Record<string, string> {
  return {
    OTEL_EXPORTER_OTLP_ENDPOINT: otlpSink?.endpoint ?? "",
    OTEL_EXPORTER_OTLP_PROTOCOL: "http/protobuf",
    OTEL_TRACES_SAMPLER: "always_on",
  };
}

/** A customer with a few orders, made through the gateway, so the dashboard has content. */
async function createCustomerWithOrders(
  gatewayUrl: string,
): Promise<{ customerId: string; authorization: string }> {
  const registered = await callConnectJson<{ user: { userId: string } }>(
    gatewayUrl,
    "switchyard.edge.v1.UserService/RegisterUser",
    { email: `bench.${Date.now().toString(36)}@bench.example`, fullName: "Bench Mark" },
  );
  const customerId = registered.body?.user.userId;
  if (customerId === undefined) {
    throw new Error(
      `could not register the benchmark customer: ${registered.code} ${registered.message}`,
    );
  }
  const authorization = `Bearer ${await tokenFor(customerId)}`;
  for (let order = 0; order < 3; order++) {
    const placed = await callConnectJson(
      gatewayUrl,
      "switchyard.edge.v1.OrderService/PlaceOrder",
      {
        customerId,
        currencyCode: "EUR",
        lines: [{ sku: `bench-${order}`, quantity: 2, unitPriceCents: "1999" }],
      },
      { headers: { "idempotency-key": `bench-${customerId}-${order}`, authorization } },
    );
    if (!placed.ok)
      throw new Error(`could not place a benchmark order: ${placed.code} ${placed.message}`);
  }
  return { customerId, authorization };
}
