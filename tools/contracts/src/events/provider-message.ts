import { randomUUID } from "node:crypto";
import type { MessageProvider } from "@pact-foundation/pact";
import { providerWithMetadata } from "@pact-foundation/pact";
import {
  dateFromProtoTimestamp,
  type EventType,
  envelopeHeaders,
  protoTimestamp,
} from "@switchyard/events";
import type { EventIdentity } from "@switchyard/outbox";
import { jsonCodecOf } from "./event-json.js";

/** The message a provider verification hands to Pact: protobuf JSON body, CloudEvents metadata. */
export interface ProvidedMessage {
  contents: unknown;
  metadata: Record<string, string>;
}

/**
 * Builds the message the outbox path would publish for `event` (the value the use case's event
 * builder returned): the id and time completed as `appendToOutbox` completes them, the body
 * encoded with the catalog's codec and DECODED back (so the pact sees exactly what the bytes
 * carry, not the object before encoding), the headers made by the relay's `envelopeHeaders`.
 * `content-type` (application/protobuf on the wire) is left out: the pact body is the JSON form.
 */
export function outboxMessage<T extends EventIdentity>(
  type: EventType<T>,
  event: T,
  options: { service: string; traceparent?: string },
): ProvidedMessage {
  const eventId = event.eventId || randomUUID();
  const occurTime = event.occurTime ?? protoTimestamp(new Date());
  const complete = { ...event, eventId, occurTime };
  const body = type.codec.encode(complete).finish();
  const onTheWire = type.codec.decode(body);
  const headers = envelopeHeaders({
    id: eventId,
    type: type.typeName,
    source: `switchyard/${options.service}`,
    time: dateFromProtoTimestamp(occurTime),
    traceparent: options.traceparent,
    subject: type.subject,
    body,
  });
  const metadata: Record<string, string> = { subject: type.subject };
  for (const name of headers.keys()) {
    if (name.toLowerCase() === "content-type") continue;
    metadata[name] = headers.get(name);
  }
  return { contents: jsonCodecOf<T>(type).toJSON(onTheWire), metadata };
}

/** A Pact message provider (with metadata) that builds its message when the verifier asks. */
export function messageProvider(build: () => ProvidedMessage): MessageProvider {
  return (descriptor) => {
    const message = build();
    return providerWithMetadata(
      () => Promise.resolve(message.contents),
      message.metadata,
    )(descriptor);
  };
}
