/**
 * `npm run events -- tail [--stream user|order|all] [--from-start]`: prints every event as it
 * arrives on the streams (ordered, ephemeral consumers: nothing is acknowledged or changed).
 * NATS_URL (default nats://127.0.0.1:4222) and EVENTS_NAMESPACE select the server and namespace.
 */
import { parseArgs } from "node:util";
import {
  type Consumer,
  DeliverPolicy,
  JetStreamApiCodes,
  JetStreamApiError,
  jetstream,
} from "@nats-io/jetstream";
import { connectNats } from "./connect-nats.js";
import { eventTypeByName } from "./event-catalog.js";
import { envelopeFromMessage } from "./event-envelope.js";
import { streamNameFor } from "./event-namespace.js";
import { orderEventsStream, userEventsStream } from "./stream-definition.js";

const usage = "usage: npm run events -- tail [--stream user|order|all] [--from-start]";
const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    stream: { type: "string", default: "all" },
    "from-start": { type: "boolean", default: false },
  },
});
const streams = {
  user: [userEventsStream],
  order: [orderEventsStream],
  all: [userEventsStream, orderEventsStream],
};
const selected = streams[values.stream as keyof typeof streams];
if (positionals[0] !== "tail" || selected === undefined) {
  console.error(usage);
  process.exit(64);
}

const url = process.env.NATS_URL || "nats://127.0.0.1:4222";
const namespace = { prefix: process.env.EVENTS_NAMESPACE ?? "" };
const nats = await connectNats({ url, name: "events-tail" });
const js = jetstream(nats);
const deliverPolicy = values["from-start"] ? DeliverPolicy.All : DeliverPolicy.New;
console.error(
  `tailing ${selected.map((stream) => streamNameFor(stream, namespace)).join(", ")} on ${url} (Ctrl-C to stop)`,
);

/** The services create their streams at start: until then, say so and keep waiting. */
async function waitForStream(name: string, open: () => Promise<Consumer>): Promise<Consumer> {
  for (let said = false; ; said = true) {
    try {
      return await open();
    } catch (error) {
      const missing =
        error instanceof JetStreamApiError && error.code === JetStreamApiCodes.StreamNotFound;
      if (!missing) throw error;
      if (!said)
        console.error(
          `stream ${name} does not exist yet (its service creates it at start); waiting`,
        );
      await new Promise((resolve) => setTimeout(resolve, 2_000));
    }
  }
}

const bigintAsString = (_key: string, value: unknown) =>
  typeof value === "bigint" ? value.toString() : value;

await Promise.all(
  selected.map(async (stream) => {
    const name = streamNameFor(stream, namespace);
    const consumer = await waitForStream(name, () =>
      js.consumers.get(name, { deliver_policy: deliverPolicy }),
    );
    for await (const message of await consumer.consume()) {
      try {
        const envelope = envelopeFromMessage(message);
        const body =
          eventTypeByName(envelope.type)?.codec.decode(envelope.body) ?? "(unknown type)";
        console.log(
          `#${message.seq} ${envelope.time.toISOString()} ${envelope.type} id=${envelope.id} traceparent=${envelope.traceparent ?? "-"}\n  ${JSON.stringify(body, bigintAsString)}`,
        );
      } catch (error) {
        console.log(
          `#${message.seq} ${message.subject}: not an event (${(error as Error).message})`,
        );
      }
    }
  }),
);
