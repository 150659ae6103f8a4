import {
  JetStreamApiCodes,
  JetStreamApiError,
  type JetStreamClient,
  type JetStreamManager,
} from "@nats-io/jetstream";
import { headers } from "@nats-io/transport-node";
import { type EventNamespace, type StreamDefinition, streamNameFor } from "@switchyard/events";
import { deadLetterHeaders, deadLetterStreamFor, deadLetterSubject } from "./dead-letter-stream.js";

const ourHeaders = new Set<string>(Object.values(deadLetterHeaders));

/**
 * Puts dead letters back on their original subject (after the cause is fixed), with their
 * original headers, and removes them from the dead-letter stream; only `consumer`'s when given.
 * Every consumer of the stream receives the message again: those that applied it already skip
 * it by their inbox (same ce-id). Returns how many were redriven.
 */
export async function redriveDeadLetterStream(options: {
  js: JetStreamClient;
  jsm: JetStreamManager;
  namespace: EventNamespace;
  stream: StreamDefinition;
  consumer?: string;
}): Promise<number> {
  const { js, jsm, namespace, stream } = options;
  const deadLetters = streamNameFor(deadLetterStreamFor(stream), namespace);
  const state = await jsm.streams.info(deadLetters).then(
    (info) => info.state,
    (error: unknown) => {
      // No dead-letter stream: no consumer of this stream has started, so nothing to redrive.
      if (error instanceof JetStreamApiError && error.code === JetStreamApiCodes.StreamNotFound) {
        return undefined;
      }
      throw error;
    },
  );
  if (state === undefined) return 0;
  const onlySubject =
    options.consumer === undefined
      ? undefined
      : deadLetterSubject(stream, options.consumer, namespace);
  let redriven = 0;
  for (let seq = state.first_seq; seq <= state.last_seq; seq++) {
    const stored = await jsm.streams.getMessage(deadLetters, { seq });
    if (stored === null) continue;
    if (onlySubject !== undefined && stored.subject !== onlySubject) continue;
    const originalSubject = stored.header.get(deadLetterHeaders.originalSubject);
    if (!originalSubject) {
      throw new Error(
        `dead letter ${seq} in ${deadLetters} has no ${deadLetterHeaders.originalSubject} header`,
      );
    }
    const original = headers();
    for (const [key, values] of stored.header) {
      if (ourHeaders.has(key.toLowerCase()) || key.toLowerCase() === "nats-msg-id") continue;
      for (const value of values) original.append(key, value);
    }
    // A fresh id: the original one may still be inside the stream's duplicate window. Keyed by
    // the dead letter, so a redrive interrupted before the delete below republishes nothing new.
    await js.publish(originalSubject, stored.data, {
      headers: original,
      msgID: `redrive:${deadLetters}:${seq}`,
    });
    await jsm.streams.deleteMessage(deadLetters, seq, false);
    redriven += 1;
  }
  return redriven;
}
