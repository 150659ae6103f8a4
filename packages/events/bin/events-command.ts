/**
 * `npm run events -- tail [--stream user|order|all] [--from-start]`: prints every event as it
 * arrives on the streams (ordered, ephemeral consumers: nothing is acknowledged or changed).
 *
 * The command's entry, the one place that reads its environment: NATS_URL (default
 * nats://127.0.0.1:4222) and EVENTS_NAMESPACE select the server and namespace.
 */
import { parseArgs } from "node:util";
import { connectNats, orderEventsStream, streamNameFor, userEventsStream } from "../src/index.js";
import { tailEvents } from "./tail-events.js";

const usage = "usage: npm run events -- tail [--stream user|order|all] [--from-start]";
const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    stream: { type: "string", default: "all" },
    "from-start": { type: "boolean", default: false },
  },
});
const streamsByName = {
  user: [userEventsStream],
  order: [orderEventsStream],
  all: [userEventsStream, orderEventsStream],
};
const streams = streamsByName[values.stream as keyof typeof streamsByName];
if (positionals[0] !== "tail" || streams === undefined) {
  console.error(usage);
  process.exit(64);
}

const url = process.env.NATS_URL || "nats://127.0.0.1:4222";
const namespace = { prefix: process.env.EVENTS_NAMESPACE ?? "" };
const nats = await connectNats({ url, name: "events-tail" });
console.error(
  `tailing ${streams.map((stream) => streamNameFor(stream, namespace)).join(", ")} on ${url} (Ctrl-C to stop)`,
);
await tailEvents({
  nats,
  namespace,
  streams,
  fromStart: values["from-start"],
  print: (line) => console.log(line),
  note: (line) => console.error(line),
});
