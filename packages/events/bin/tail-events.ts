import {
  type Consumer,
  DeliverPolicy,
  JetStreamApiCodes,
  JetStreamApiError,
  jetstream,
} from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/transport-node";
import { eventTypeByName } from "../src/event-catalog.js";
import { envelopeFromMessage } from "../src/event-envelope.js";
import { type EventNamespace, streamNameFor } from "../src/event-namespace.js";
import type { StreamDefinition } from "../src/stream-definition.js";

/**
 * Prints every event on `streams` as it arrives, decoded with the catalog (ordered, ephemeral
 * consumers: nothing is acknowledged or changed). A stream that does not exist yet is waited
 * for (its service creates it at start). Runs until the connection closes.
 */
export async function tailEvents(options: {
  nats: NatsConnection;
  namespace: EventNamespace;
  streams: readonly StreamDefinition[];
  /** From the first stored event instead of new ones only. */
  fromStart: boolean;
  /** One event, formatted: where it goes (stdout in the command). */
  print(line: string): void;
  /** Progress notes (stderr in the command). */
  note(line: string): void;
}): Promise<void> {
  const js = jetstream(options.nats);
  const deliverPolicy = options.fromStart ? DeliverPolicy.All : DeliverPolicy.New;
  await Promise.all(
    options.streams.map(async (stream) => {
      const name = streamNameFor(stream, options.namespace);
      const consumer = await waitForStream(name, options.note, () =>
        js.consumers.get(name, { deliver_policy: deliverPolicy }),
      );
      for await (const message of await consumer.consume()) {
        try {
          const envelope = envelopeFromMessage(message);
          const body =
            eventTypeByName(envelope.type)?.codec.decode(envelope.body) ?? "(unknown type)";
          options.print(
            `#${message.seq} ${envelope.time.toISOString()} ${envelope.type} id=${envelope.id} traceparent=${envelope.traceparent ?? "-"}\n  ${JSON.stringify(body, bigintAsString)}`,
          );
        } catch (error) {
          options.print(
            `#${message.seq} ${message.subject}: not an event (${(error as Error).message})`,
          );
        }
      }
    }),
  );
}

/** The services create their streams at start: until then, say so and keep waiting. */
async function waitForStream(
  name: string,
  note: (line: string) => void,
  open: () => Promise<Consumer>,
): Promise<Consumer> {
  for (let said = false; ; said = true) {
    try {
      return await open();
    } catch (error) {
      const missing =
        error instanceof JetStreamApiError && error.code === JetStreamApiCodes.StreamNotFound;
      if (!missing) throw error;
      if (!said)
        note(`stream ${name} does not exist yet (its service creates it at start); waiting`);
      await new Promise((resolve) => setTimeout(resolve, 2_000));
    }
  }
}

const bigintAsString = (_key: string, value: unknown) =>
  typeof value === "bigint" ? value.toString() : value;
