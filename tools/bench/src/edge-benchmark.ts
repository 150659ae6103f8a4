import { availableParallelism, cpus } from "node:os";
import { fileURLToPath } from "node:url";
import { loadConfig } from "@switchyard/config";
import {
  callConnectJson,
  formatMs,
  formatTable,
  median,
  requireRunningStack,
} from "@switchyard/load";
import { createLogger } from "@switchyard/logging";
import { ensureDevJwtKeys, mintDevToken } from "@switchyard/token";
import { toHttpBaseUrl, topologyConfigShape, topologyFromConfig } from "@switchyard/topology";
import { createWorkloadIdentity, workloadIdentityConfigShape } from "@switchyard/workload-identity";
import { benchUsage, parseBenchOptions } from "./bench-options.js";
import { type LoopResult, runClosedLoop } from "./closed-loop.js";
import { edgeScenarios, type Scenario } from "./edge-scenarios.js";
import { waitForGrpcTarget } from "./grpc-reachability.js";
import { securityScenario, startSecurityPair } from "./security-pair.js";

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
if (["a", "b", "c", "d"].some((key) => selected.has(key))) {
  const topology = topologyFromConfig(loadConfig(topologyConfigShape, process.env));
  const identity = benchIdentity();
  cleanups.push(() => identity.close());
  const endpoints = {
    userServiceTarget: topology["user-service"],
    userServiceTransport: identity.clientTransport("user-service"),
    gatewayUrl: process.env.GATEWAY_URL ?? toHttpBaseUrl(topology.gateway),
    webBffUrl: process.env.WEB_BFF_URL ?? toHttpBaseUrl(topology["web-bff"]),
  };
  await requireRunningStack([
    { name: "gateway", healthUrl: `${endpoints.gatewayUrl}/healthz` },
    { name: "web-bff", healthUrl: `${endpoints.webBffUrl}/healthz` },
  ]);
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
// (e)/(f): the benchmark's own user-service + gateway pairs, identical code, security off/on.
for (const [key, mode, title] of [
  ["e", "plaintext", "GetUser: gateway → user-service, plaintext, token NOT verified"],
  ["f", "secure", "GetUser: gateway → user-service, mTLS + authz, JWT verified (ES256)"],
] as const) {
  if (!selected.has(key)) continue;
  const pair = await startSecurityPair(mode);
  cleanups.push(() => pair.stop());
  scenarios.push(await securityScenario(key, title, pair, tokenFor, concurrency));
}
console.log(
  `bench:edge — ${concurrency} in flight, ${warmupSeconds} s warm-up then ${repeats} × ${seconds} s per scenario, medians reported`,
);
console.log(
  `machine: ${availableParallelism()} cores (${cpus()[0]?.model ?? "unknown cpu"}), node ${process.version}`,
);

const rows: { key: string; title: string; runs: LoopResult[] }[] = [];
for (const scenario of scenarios) {
  process.stdout.write(`(${scenario.key}) ${scenario.title}: warm-up`);
  await runClosedLoop(scenario.call, { concurrency, durationMs: warmupSeconds * 1000 });
  const runs: LoopResult[] = [];
  for (let run = 1; run <= repeats; run++) {
    const result = await runClosedLoop(scenario.call, { concurrency, durationMs: seconds * 1000 });
    runs.push(result);
    process.stdout.write(`, run ${run} ${result.requestsPerSecond.toFixed(0)} req/s`);
    if (result.errors > 0)
      process.stdout.write(` (${result.errors} errors: ${result.errorSamples[0]})`);
  }
  process.stdout.write("\n");
  scenario.close();
  rows.push({ key: scenario.key, title: scenario.title, runs });
}

const medianOf = (runs: LoopResult[], pick: (run: LoopResult) => number) => median(runs.map(pick));
const throughput = new Map(
  rows.map((row) => [row.key, medianOf(row.runs, (run) => run.requestsPerSecond)]),
);
console.log();
console.log(
  formatTable(
    ["", "scenario", "req/s", "p50 ms", "p99 ms", "errors", "req/s per run"],
    rows.map((row) => [
      `(${row.key})`,
      row.title,
      (throughput.get(row.key) ?? 0).toFixed(0),
      formatMs(medianOf(row.runs, (run) => run.p50Ms)),
      formatMs(medianOf(row.runs, (run) => run.p99Ms)),
      String(row.runs.reduce((sum, run) => sum + run.errors, 0)),
      row.runs.map((run) => run.requestsPerSecond.toFixed(0)).join(" / "),
    ]),
  ),
);
const ratio = (key: string, base: string) =>
  throughput.has(key) && throughput.has(base)
    ? [`${key}/${base} = ${((throughput.get(key) ?? 0) / (throughput.get(base) ?? 1)).toFixed(2)}`]
    : [];
console.log();
console.log(
  [...ratio("b", "a"), ...ratio("c", "a"), ...ratio("d", "a"), ...ratio("f", "e")].join("   "),
);
for (const cleanup of cleanups) await cleanup();
process.exit(0);

/**
 * (a) must cross the same mTLS and authorization as the gateway's own hop, so the benchmark
 * calls as the gateway: its dev identity from certs/out unless TLS_* / MESH_MODE say otherwise.
 */
function benchIdentity() {
  const certs = fileURLToPath(new URL("../../../certs/out/", import.meta.url));
  const config = loadConfig(workloadIdentityConfigShape, {
    TLS_CA_FILE: `${certs}ca.crt`,
    TLS_CERT_FILE: `${certs}gateway.crt`,
    TLS_KEY_FILE: `${certs}gateway.key`,
    ...process.env,
  });
  return createWorkloadIdentity(config, {
    workload: "gateway",
    logger: createLogger({ service: "bench", level: "warn" }),
  });
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
