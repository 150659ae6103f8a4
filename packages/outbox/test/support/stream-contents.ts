import { jetstream, jetstreamManager } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/transport-node";
import { type EventEnvelope, envelopeFromMessage } from "@switchyard/events";

/** Every message in a stream, read from the start with an ordered consumer, as envelopes. */
export async function readStream(
  nats: NatsConnection,
  streamName: string,
): Promise<EventEnvelope[]> {
  const jsm = await jetstreamManager(nats);
  const total = (await jsm.streams.info(streamName)).state.messages;
  const envelopes: EventEnvelope[] = [];
  if (total === 0) return envelopes;
  const consumer = await jetstream(nats).consumers.get(streamName);
  const messages = await consumer.consume();
  for await (const message of messages) {
    envelopes.push(envelopeFromMessage(message));
    if (envelopes.length === total) break;
  }
  await messages.close();
  return envelopes;
}

/** Polls `condition` every `intervalMs` until it holds or `timeoutMs` passes (then throws). */
export async function waitFor(
  what: string,
  condition: () => Promise<boolean> | boolean,
  timeoutMs = 15_000,
  intervalMs = 50,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
