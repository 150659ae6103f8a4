import { randomUUID } from "node:crypto";
import { fileURLToPath } from "node:url";
import { createTestTokenIssuer } from "@switchyard/end-user-auth/testing";
import { findFreePort } from "@switchyard/local-infra";
import { tlsEnv } from "@switchyard/service-host/testing";
import { createTestDatabase, createTestNats } from "@switchyard/testing";
import { createTestCertificates } from "@switchyard/workload-identity/testing";
import type { DrillContext, DrillVerdict } from "../drill.js";
import { pause } from "../pause.js";
import { startEdgeBalancer } from "../rollout/edge-balancer.js";
import { type Customer, startMixedTraffic } from "../rollout/mixed-traffic.js";
import { type ReplicaSet, startReplicaSet } from "../rollout/replica-set.js";
import {
  failuresByCode,
  type RestartRecord,
  rolloutMeasurements,
} from "../rollout/rollout-verdict.js";
import type { rolloutOptions } from "./rollout-options.js";

interface Plan {
  replicas: number;
  restarts: number;
  ratePerSecond: number;
  drainDelayMs: number;
}
const fullPlan: Plan = { replicas: 2, restarts: 20, ratePerSecond: 10, drainDelayMs: 2_000 };
const shortPlan: Plan = { replicas: 2, restarts: 4, ratePerSecond: 8, drainDelayMs: 2_000 };
/** What Kubernetes would call the readiness period: how often the balancer asks /readyz. */
const balancerPollMs = 100;
/** After a replacement is ready, before the next SIGTERM (Kubernetes: minReadySeconds). */
const settleMs = 1_000;
const graceMs = 5_000;
/**
 * Deadlines well above a healthy machine's latencies: eight processes share two loaded cores
 * here, and the promise is about restarts, not speed (latency is reported, not required).
 */
const callTimeoutMs = 20_000;
const edgeDeadlineMs = 15_000;

const root = new URL("../../../../", import.meta.url);
const entry = (path: string) => fileURLToPath(new URL(path, root));

/**
 * rollout: 2 replicas each of user-service, order-service, web-bff and the gateway, each its own
 * process (src/main.ts) on its own port; services and web-bff reach their peers through
 * "ipv4:a,b" targets (clients balance and retry what is safe), the drill balances over the
 * gateways by polling /readyz as a Kubernetes Service would. Mixed traffic (reads, keyed
 * writes and their replays, dashboards) runs throughout while the drill restarts one replica
 * at a time — SIGTERM, wait for the exit, start the replacement on the same port, wait until
 * it is ready — cycling user-service, order-service, web-bff, gateway. Promise: no request
 * fails. With --drain-delay-ms 0 the gateways close their port before the balancer notices.
 */
export async function runRollout(context: DrillContext): Promise<DrillVerdict> {
  const base = context.short ? shortPlan : fullPlan;
  const option = (name: keyof typeof rolloutOptions, fallback: number) =>
    context.options?.[name] === undefined ? fallback : Number(context.options[name]);
  const plan: Plan = {
    ...base,
    restarts: option("restarts", base.restarts),
    drainDelayMs: option("drain-delay-ms", base.drainDelayMs),
    ratePerSecond: option("rate", base.ratePerSecond),
  };
  const { progress, signal, elapsed } = context;
  const actions: string[] = [];
  const cleanups: (() => Promise<unknown>)[] = [];
  try {
    const nats = await createTestNats();
    cleanups.push(() => nats.close());
    const certs = createTestCertificates({
      workloads: ["user-service", "order-service", "web-bff", "gateway"],
    });
    cleanups.push(async () => certs.remove());
    const tokens = await createTestTokenIssuer();
    cleanups.push(async () => tokens.remove());
    const usersDatabase = await createTestDatabase({ prefix: "drill_rollout_users" });
    cleanups.push(() => usersDatabase.drop());
    const ordersDatabase = await createTestDatabase({ prefix: "drill_rollout_orders" });
    cleanups.push(() => ordersDatabase.drop());
    const ports = async () => {
      const chosen: number[] = [];
      for (let index = 0; index < plan.replicas; index++) chosen.push(await findFreePort());
      return chosen;
    };
    const hostEnv = {
      SHUTDOWN_GRACE_MS: String(graceMs),
      SHUTDOWN_DRAIN_DELAY_MS: String(plan.drainDelayMs),
      // Every replica's metrics port from the OS: eight processes share one host.
      ADMIN_PORT: "0",
      // Four service processes on a Postgres shared with everything else on the machine.
      DATABASE_POOL_SIZE: "4",
      // Tracing is not what this drill measures; it would only take CPU from the replicas.
      OTEL_SDK_DISABLED: "true",
    };
    const sets: ReplicaSet[] = [];
    const start = async (options: Parameters<typeof startReplicaSet>[0]) => {
      progress(`starting ${plan.replicas} × ${options.name}`);
      const set = await startReplicaSet(options);
      sets.push(set);
      cleanups.push(() => set.stopAll());
      return set;
    };
    const killAfterMs = plan.drainDelayMs + graceMs + 15_000;
    const users = await start({
      name: "user-service",
      entry: entry("services/user-service/src/main.ts"),
      ports: await ports(),
      killAfterMs,
      env: (port) => ({
        GRPC_PORT: String(port),
        DATABASE_URL: usersDatabase.url,
        NATS_URL: nats.url,
        EVENTS_NAMESPACE: nats.prefix,
        ...hostEnv,
        ...tlsEnv(certs, "user-service"),
      }),
    });
    const orders = await start({
      name: "order-service",
      entry: entry("services/order-service/src/main.ts"),
      ports: await ports(),
      killAfterMs,
      env: (port) => ({
        GRPC_PORT: String(port),
        DATABASE_URL: ordersDatabase.url,
        NATS_URL: nats.url,
        EVENTS_NAMESPACE: nats.prefix,
        USER_SERVICE_TARGET: users.target,
        CUSTOMER_LOOKUP_DEADLINE_MS: String(edgeDeadlineMs / 3),
        ...hostEnv,
        ...tlsEnv(certs, "order-service"),
      }),
    });
    const bffs = await start({
      name: "web-bff",
      entry: entry("bff/web-bff/src/main.ts"),
      ports: await ports(),
      killAfterMs,
      env: (port) => ({
        WEB_BFF_PORT: String(port),
        USER_SERVICE_TARGET: users.target,
        ORDER_SERVICE_TARGET: orders.target,
        DASHBOARD_BUDGET_MS: String(edgeDeadlineMs / 3),
        ...hostEnv,
        ...tlsEnv(certs, "web-bff"),
        ...tokens.env(),
      }),
    });
    const gateways = await start({
      name: "gateway",
      entry: entry("gateway/src/main.ts"),
      ports: await ports(),
      killAfterMs,
      env: (port) => ({
        GATEWAY_PORT: String(port),
        USER_SERVICE_TARGET: users.target,
        ORDER_SERVICE_TARGET: orders.target,
        WEB_BFF_TARGET: bffs.target,
        DEFAULT_DEADLINE_MS: String(edgeDeadlineMs),
        ...hostEnv,
        ...tlsEnv(certs, "gateway"),
        ...tokens.env(),
      }),
    });
    const balancer = startEdgeBalancer(
      gateways.ports.map((port) => `http://127.0.0.1:${port}`),
      balancerPollMs,
    );
    cleanups.push(async () => balancer.stop());
    for (let index = 0; index < gateways.ports.length; index++) {
      await balancer.waitUntilInRotation(index, 30_000);
    }
    actions.push(
      `started ${sets.map((set) => `${set.ports.length} × ${set.name} (${set.target.replace("ipv4:", "")})`).join(", ")}; SHUTDOWN_DRAIN_DELAY_MS=${plan.drainDelayMs}`,
    );

    const customers = await registerCustomers(balancer.pick.bind(balancer), tokens, 5);
    // The test issuer's tokens live 5 min: a long drill hands its customers fresh ones.
    const refresh = setInterval(() => {
      for (const customer of customers) {
        void tokens.authorization(customer.userId).then((authorization) => {
          customer.authorization = authorization;
        });
      }
    }, 60_000);
    cleanups.push(async () => clearInterval(refresh));
    progress(`${customers.length} customers registered; traffic at ${plan.ratePerSecond}/s`);
    const traffic = startMixedTraffic({
      balancer,
      customers,
      ratePerSecond: plan.ratePerSecond,
      timeoutMs: callTimeoutMs,
      keyPrefix: `rollout-${randomUUID()}`,
    });
    cleanups.push(() => traffic.stop());
    actions.push(
      `mixed traffic through the gateways at ${plan.ratePerSecond}/s throughout (user reads, order reads, keyed writes + replays, dashboards)`,
    );
    await pause(2_000, signal);

    // One replica at a time, cycling through the components so that each component's other
    // replica has long been back in service when its turn comes.
    const order: Array<[ReplicaSet, number]> = [];
    for (let replica = 0; replica < plan.replicas; replica++) {
      for (const set of sets) order.push([set, replica]);
    }
    const restarts: RestartRecord[] = [];
    // Ctrl-C ends the restarts early; the verdict still covers what was done (and says so).
    const stopEarly = () =>
      pause(0, signal).then(
        () => false,
        () => true,
      );
    for (let round = 0; round < plan.restarts; round++) {
      if (await stopEarly()) {
        actions.push(`stopped by ${String(signal.reason)} after ${round} restarts`);
        break;
      }
      const [set, replica] = order[round % order.length] as [ReplicaSet, number];
      const victim = set.pid(replica);
      const from = Date.now();
      const restart = await set.restart(replica);
      if (set === gateways) await balancer.waitUntilInRotation(replica, 30_000);
      const until = Date.now();
      restarts.push({
        component: set.name,
        replica,
        from,
        until,
        drainedMs: restart.drainedMs,
        exitCode: restart.exitCode,
        ...(restart.shutdownErrors === undefined ? {} : { shutdownErrors: restart.shutdownErrors }),
      });
      progress(
        `restart ${round + 1}/${plan.restarts}: ${set.name}#${replica} pid ${victim} exited ${restart.exitCode} after ${(restart.drainedMs / 1000).toFixed(1)} s, pid ${set.pid(replica)} ready after ${((until - from) / 1000).toFixed(1)} s (${traffic.samples().length} requests, failed: ${failuresByCode(traffic.samples())})`,
      );
      actions.push(
        `SIGTERM ${set.name}#${replica} (pid ${victim}) at ${elapsed()}, replacement pid ${set.pid(replica)} ready ${((until - from) / 1000).toFixed(1)} s later`,
      );
      await pause(settleMs, signal).catch(() => {});
    }
    await pause(2_000, signal).catch(() => {});
    const samples = await traffic.stop();
    return {
      drill: "rollout",
      actions,
      measurements: rolloutMeasurements({
        plannedRestarts: plan.restarts,
        restarts,
        samples,
        drainDelayMs: plan.drainDelayMs,
      }),
    };
  } finally {
    progress("cleaning up (processes, databases, streams)");
    for (const cleanup of cleanups.reverse()) {
      await cleanup().catch((error: unknown) =>
        progress(`cleanup step failed: ${(error as Error).message}`),
      );
    }
  }
}

/** Registers customers through the gateway (public RegisterUser) and mints their tokens. */
async function registerCustomers(
  pick: () => string | undefined,
  tokens: { authorization(subject: string): Promise<string> },
  count: number,
): Promise<Customer[]> {
  const customers: Customer[] = [];
  for (let index = 0; index < count; index++) {
    const baseUrl = pick();
    if (baseUrl === undefined) throw new Error("no gateway in rotation");
    const response = await fetch(`${baseUrl}/switchyard.edge.v1.UserService/RegisterUser`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: `rollout-${randomUUID()}@example.com`, fullName: "Rollout" }),
      signal: AbortSignal.timeout(callTimeoutMs),
    });
    const text = await response.text();
    if (response.status !== 200)
      throw new Error(`RegisterUser answered ${response.status}: ${text}`);
    const { user } = JSON.parse(text) as { user: { userId: string } };
    customers.push({ userId: user.userId, authorization: await tokens.authorization(user.userId) });
  }
  return customers;
}
