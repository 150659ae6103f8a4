/**
 * `npm run projections -- <command>`: operate order-service's event-fed projections.
 *
 *   rebuild            replay every projection's stream from the start (one transaction each);
 *                      orders the stream does not cover (placed before the order-summary read
 *                      model existed) are summarized from the orders table in the same step
 *   status             per consumer: messages not yet delivered, awaiting ack, dead letters
 *   redrive [consumer] put dead letters back on their subjects (after fixing the cause)
 *
 * Reads DATABASE_URL, NATS_URL, EVENTS_NAMESPACE, LOG_LEVEL like the service does.
 */
import { jetstream, jetstreamManager } from "@nats-io/jetstream";
import { loadConfigOrExit } from "@switchyard/config";
import { connectDatabase } from "@switchyard/database";
import { connectNats, streamNameFor } from "@switchyard/events";
import { deadLetterStreamFor, redriveDeadLetterStream } from "@switchyard/inbox";
import { createLogger } from "@switchyard/logging";
import { orderServiceConfigShape } from "../config.js";
import { orderServiceProjections } from "./order-service-projections.js";
import { rebuildProjections } from "./rebuild-projections.js";

// The service's own keys, so the command reads exactly what order-service reads.
const commandConfigShape = {
  DATABASE_URL: orderServiceConfigShape.DATABASE_URL,
  LOG_LEVEL: orderServiceConfigShape.LOG_LEVEL,
  NATS_URL: orderServiceConfigShape.NATS_URL,
  EVENTS_NAMESPACE: orderServiceConfigShape.EVENTS_NAMESPACE,
};

const usage = "usage: npm run projections -- rebuild | status | redrive [consumer]";
const [command, argument] = process.argv.slice(2);
if (command !== "rebuild" && command !== "status" && command !== "redrive") {
  console.error(usage);
  process.exit(64);
}

const config = loadConfigOrExit(commandConfigShape);
const logger = createLogger({ service: "order-service-projections", level: config.LOG_LEVEL });
const namespace = { prefix: config.EVENTS_NAMESPACE };
const database = connectDatabase({ url: config.DATABASE_URL, max: 2 });
const nats = await connectNats({ url: config.NATS_URL, name: "order-service-projections" });
const js = jetstream(nats);
const jsm = await jetstreamManager(nats);

try {
  if (command === "rebuild") {
    const results = await rebuildProjections({
      js,
      jsm,
      db: database.db,
      namespace,
      projections: orderServiceProjections,
      logger,
    });
    for (const [consumer, result] of results) {
      console.log(
        `${consumer}: ${result.applied} applied, ${result.duplicates} duplicates skipped, ${result.poison} poison skipped (up to sequence ${result.lastSequence})${result.backfilled > 0 ? `, ${result.backfilled} orders summarized from the orders table` : ""}`,
      );
    }
  } else if (command === "status") {
    for (const projection of orderServiceProjections) {
      const stream = streamNameFor(projection.stream, namespace);
      const info = await jsm.consumers.info(stream, projection.durableName).catch(() => undefined);
      const deadLetters = await jsm.streams
        .info(streamNameFor(deadLetterStreamFor(projection.stream), namespace))
        .then((dlq) => dlq.state.messages)
        .catch(() => 0);
      console.log(
        info === undefined
          ? `${projection.durableName}: no consumer on ${stream} yet (start order-service)`
          : `${projection.durableName}: ${info.num_pending} pending, ${info.num_ack_pending} awaiting ack, ${deadLetters} in ${stream}_DLQ`,
      );
    }
  } else {
    let total = 0;
    for (const projection of orderServiceProjections) {
      if (argument !== undefined && argument !== projection.durableName) continue;
      total += await redriveDeadLetterStream({
        js,
        jsm,
        namespace,
        stream: projection.stream,
        consumer: projection.durableName,
      });
    }
    console.log(`redriven: ${total}`);
  }
} finally {
  await nats.close();
  await database.close();
}
