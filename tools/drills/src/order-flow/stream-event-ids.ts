import type { JetStreamClient, JetStreamManager } from "@nats-io/jetstream";

/**
 * The `ce-id` of every message stored in the stream, in stream order, read with an ordered
 * (ephemeral, ack-less) consumer: changes nothing. A message without `ce-id` is listed as "".
 */
export async function streamEventIds(
  js: JetStreamClient,
  jsm: JetStreamManager,
  streamName: string,
  options: { timeoutMs: number },
): Promise<string[]> {
  const stored = (await jsm.streams.info(streamName)).state.messages;
  const ids: string[] = [];
  if (stored === 0) return ids;
  const consumer = await js.consumers.get(streamName);
  const messages = await consumer.consume();
  const timer = setTimeout(() => void messages.close(), options.timeoutMs);
  try {
    for await (const message of messages) {
      ids.push(message.headers?.get("ce-id") ?? "");
      if (message.info.pending === 0) break;
    }
  } finally {
    clearTimeout(timer);
    await messages.close();
  }
  if (ids.length < stored) {
    throw new Error(
      `read ${ids.length} of the ${stored} messages of ${streamName} within ${options.timeoutMs} ms`,
    );
  }
  return ids;
}
