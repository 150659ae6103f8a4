// Entry of a child process that runs one CDC outbox relay until it is killed: the CDC crash
// test SIGKILLs it at random points. spawnCdcRelayProcess() (cdc-relay-process-control.ts)
// starts it.
import { connectNats } from "@switchyard/events";
import { createLogger } from "@switchyard/logging";
import postgres from "postgres";
import { createCdcOutboxRelay } from "../../src/index.js";

const env = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`cdc-relay-process: ${name} is required`);
  return value;
};

const sql = postgres(env("DATABASE_URL"), { max: 3, onnotice: () => {} });
const nats = await connectNats({ url: env("NATS_URL"), name: "outbox-cdc-relay-process" });
const relay = createCdcOutboxRelay({
  sql,
  databaseUrl: env("DATABASE_URL"),
  nats,
  namespace: { prefix: process.env.EVENTS_NAMESPACE ?? "" },
  source: "switchyard/relay-process",
  service: "relay-process",
  replication: { publication: env("CDC_PUBLICATION"), slot: env("CDC_SLOT") },
  logger: createLogger({ service: "cdc-relay-process", level: process.env.LOG_LEVEL ?? "silent" }),
  // The killed predecessor's walsender lets go of the slot a moment after the kill.
  standbyRetryMs: 50,
  reconnectDelayMs: 100,
  maxInFlight: Number(process.env.CDC_MAX_IN_FLIGHT ?? 1000),
  sweepIntervalMs: Number(process.env.CDC_SWEEP_INTERVAL_MS ?? 5000),
});
await relay.start();
process.stdout.write("relay ready\n");
