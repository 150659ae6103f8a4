import type { JetStreamClient, JetStreamManager, JsMsg } from "@nats-io/jetstream";
import { headers, type MsgHdrs } from "@nats-io/transport-node";
import {
  type EnsureStreamOptions,
  type EventNamespace,
  ensureStream,
  namespacedSubject,
  type StreamDefinition,
} from "@switchyard/events";

/** Headers a dead letter carries besides every header of the original message. */
export const deadLetterHeaders = {
  error: "switchyard-error",
  consumer: "switchyard-consumer",
  originalSubject: "switchyard-original-subject",
  originalSequence: "switchyard-original-sequence",
  deliveryCount: "switchyard-delivery-count",
} as const;

const maxErrorLength = 1_000;

/**
 * The dead-letter stream of an event stream, un-namespaced: `<NAME>_DLQ`, subjects
 * `dlq.<NAME>.<consumer>` so one consumer's dead letters can be listed and redriven alone.
 */
export function deadLetterStreamFor(stream: StreamDefinition): StreamDefinition {
  return {
    name: `${stream.name}_DLQ`,
    subjects: [`dlq.${stream.name}.>`],
    duplicateWindowMs: stream.duplicateWindowMs,
  };
}

/** The subject one consumer's dead letters are published on. */
export function deadLetterSubject(
  stream: StreamDefinition,
  consumer: string,
  ns: EventNamespace,
): string {
  return namespacedSubject(`dlq.${stream.name}.${consumer}`, ns);
}

/** Creates (or updates) the dead-letter stream of `stream`. */
export function ensureDeadLetterStream(
  jsm: JetStreamManager,
  stream: StreamDefinition,
  ns: EventNamespace,
  options: EnsureStreamOptions = {},
): Promise<void> {
  return ensureStream(jsm, deadLetterStreamFor(stream), ns, options);
}

/**
 * Copies a message that failed for good to the dead-letter stream: its body and headers as
 * they were, plus why it failed and where it came from. The publish is deduplicated by the
 * original stream sequence, so a crash before the TERM that follows cannot dead-letter it twice.
 */
export async function publishDeadLetter(
  js: JetStreamClient,
  options: {
    stream: StreamDefinition;
    ns: EventNamespace;
    consumer: string;
    msg: JsMsg;
    error: unknown;
  },
): Promise<void> {
  const { msg } = options;
  const copy = headers();
  for (const [key, values] of msg.headers ?? emptyHeaders()) {
    // The original id would make JetStream drop the copy as a duplicate inside its window.
    if (key.toLowerCase() === "nats-msg-id") continue;
    for (const value of values) copy.append(key, value);
  }
  copy.set(deadLetterHeaders.error, headerSafe(describeError(options.error)));
  copy.set(deadLetterHeaders.consumer, options.consumer);
  copy.set(deadLetterHeaders.originalSubject, msg.subject);
  copy.set(deadLetterHeaders.originalSequence, String(msg.info.streamSequence));
  copy.set(deadLetterHeaders.deliveryCount, String(msg.info.deliveryCount));
  await js.publish(deadLetterSubject(options.stream, options.consumer, options.ns), msg.data, {
    headers: copy,
    msgID: `${msg.info.stream}:${msg.info.streamSequence}:${options.consumer}`,
  });
}

function emptyHeaders(): MsgHdrs {
  return headers();
}

function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}

// Header values are one line of text; NATS rejects CR/LF in them.
function headerSafe(text: string): string {
  const line = text.replace(/[\r\n]+/g, " ").trim();
  return line.length > maxErrorLength ? `${line.slice(0, maxErrorLength - 1)}…` : line;
}
