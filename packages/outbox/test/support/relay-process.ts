// Entry of a child process that runs one polling outbox relay until it is killed: the crash
// test SIGKILLs it at random points. Reusable by any test that needs a killable relay:
// spawnRelayProcess() below starts it.
import { connectNats } from "@switchyard/events";
import { createLogger } from "@switchyard/logging";
import postgres from "postgres";
import { createOutboxRelay } from "../../src/index.js";

const env = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`relay-process: ${name} is required`);
  return value;
};

const sql = postgres(env("DATABASE_URL"), { max: 2, onnotice: () => {} });
const nats = await connectNats({ url: env("NATS_URL"), name: "outbox-relay-process" });
const relay = createOutboxRelay({
  sql,
  nats,
  namespace: { prefix: process.env.EVENTS_NAMESPACE ?? "" },
  source: "switchyard/relay-process",
  logger: createLogger({ service: "relay-process", level: process.env.LOG_LEVEL ?? "silent" }),
  batchSize: Number(process.env.RELAY_BATCH_SIZE ?? 100),
});
relay.start();
process.stdout.write("relay ready\n");
