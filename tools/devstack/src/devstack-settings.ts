import { join } from "node:path";

/** What the developer can change about `npm start`, all optional. */
export interface DevstackSettings {
  /** Use this Postgres (superuser URL) instead of 127.0.0.1:5432 or the embedded one. */
  databaseAdminUrl: string | undefined;
  /** Use this NATS instead of 127.0.0.1:4222 or a nats-server started from PATH. */
  natsUrl: string | undefined;
  /** Added to every default port, to run a second stack beside the first. */
  portOffset: number;
  /** Where the embedded Postgres data, NATS store, generated secrets and logs live. */
  stateDir: string;
  /** Prefix of every database and role the stack creates (cluster-wide names). */
  namePrefix: string;
  /** How the services' outbox relays read the outbox: polling (default) or logical replication. */
  outboxRelayMode: "poll" | "cdc";
  logLevel: string;
  /** Processes per service and gateway (and web-bff), each on its own port: DEVSTACK_REPLICAS. */
  replicas: number;
}

/** Reads the devstack's own settings (the devstack is a tool, not a service: env is its input). */
export function readDevstackSettings(
  env: Record<string, string | undefined>,
  repositoryRoot: string,
): DevstackSettings {
  const offset = Number(env.DEVSTACK_PORT_OFFSET ?? "0");
  if (!Number.isInteger(offset) || offset < 0 || offset > 10_000) {
    throw new Error(
      `DEVSTACK_PORT_OFFSET must be an integer 0..10000, got "${env.DEVSTACK_PORT_OFFSET}"`,
    );
  }
  const replicas = Number(env.DEVSTACK_REPLICAS || "1");
  if (!Number.isInteger(replicas) || replicas < 1 || replicas > 4) {
    throw new Error(`DEVSTACK_REPLICAS must be an integer 1..4, got "${env.DEVSTACK_REPLICAS}"`);
  }
  return {
    replicas,
    databaseAdminUrl: env.DATABASE_ADMIN_URL || undefined,
    natsUrl: env.NATS_URL || undefined,
    portOffset: offset,
    stateDir: env.DEVSTACK_DIR || join(repositoryRoot, ".devstack"),
    namePrefix: readNamePrefix(env.DEVSTACK_NAME_PREFIX),
    outboxRelayMode: readRelayMode(env.OUTBOX_RELAY_MODE),
    logLevel: env.LOG_LEVEL || "info",
  };
}

function readNamePrefix(value: string | undefined): string {
  const prefix = value || "switchyard";
  if (!/^[a-z][a-z0-9_]{0,30}$/.test(prefix)) {
    throw new Error(`DEVSTACK_NAME_PREFIX must match [a-z][a-z0-9_]{0,30}, got "${value}"`);
  }
  return prefix;
}

function readRelayMode(value: string | undefined): "poll" | "cdc" {
  if (value === undefined || value === "" || value === "poll") return "poll";
  if (value === "cdc") return "cdc";
  throw new Error(`OUTBOX_RELAY_MODE must be "poll" or "cdc", got "${value}"`);
}
