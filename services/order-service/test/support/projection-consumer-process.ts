// Entry of a child process that runs order-service's projection consumers until it is killed:
// the consumer crash test SIGKILLs it at random points. Started by spawnProjectionConsumers().
import { jetstream, jetstreamManager } from "@nats-io/jetstream";
import { connectDatabase } from "@switchyard/database";
import { connectNats } from "@switchyard/events";
import { createLogger } from "@switchyard/logging";
import { startProjectionConsumers } from "../../src/events/projection-consumers.js";
import { orderServiceProjections } from "../../src/projections/order-service-projections.js";

const env = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`projection-consumer-process: ${name} is required`);
  return value;
};

const database = connectDatabase({ url: env("DATABASE_URL"), max: 3 });
const nats = await connectNats({ url: env("NATS_URL"), name: "projection-consumer-process" });
await startProjectionConsumers({
  js: jetstream(nats),
  jsm: await jetstreamManager(nats),
  db: database.db,
  namespace: { prefix: process.env.EVENTS_NAMESPACE ?? "" },
  projections: orderServiceProjections,
  logger: createLogger({
    service: "projection-consumers",
    level: process.env.LOG_LEVEL ?? "silent",
  }),
  // Short, so messages in hand at a kill come back quickly.
  ackWaitMs: 1_000,
  retryDelayMs: () => 50,
});
process.stdout.write("consumers ready\n");
