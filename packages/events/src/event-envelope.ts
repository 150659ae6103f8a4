import { headers, type MsgHdrs } from "@nats-io/transport-node";

/**
 * One integration event as it travels on NATS: the protobuf body plus CloudEvents binary-mode
 * attributes (https://github.com/cloudevents/spec/blob/main/cloudevents/bindings/nats-protocol-binding.md).
 */
export interface EventEnvelope {
  /** Event id: `ce-id` and `Nats-Msg-Id` (JetStream drops a second message with the same id). */
  id: string;
  /** Fully-qualified proto message name (`ce-type`). */
  type: string;
  /** The producing service, e.g. `switchyard/order-service` (`ce-source`). */
  source: string;
  /** When the event happened (`ce-time`). */
  time: Date;
  /** W3C trace context of the request that caused the event. */
  traceparent: string | undefined;
  /** The NATS subject the message is published on (namespaced). */
  subject: string;
  /** The protobuf-encoded event message. */
  body: Uint8Array;
}

/** Thrown by `envelopeFromMessage` for a message that is not a valid event: never retry it. */
export class InvalidEnvelopeError extends Error {
  override readonly name = "InvalidEnvelopeError";
}

export const cloudEventsSpecVersion = "1.0";
export const protobufContentType = "application/protobuf";

/** The NATS headers that carry an envelope's attributes (binary content mode). */
export function envelopeHeaders(envelope: EventEnvelope): MsgHdrs {
  const result = headers();
  result.set("ce-specversion", cloudEventsSpecVersion);
  result.set("ce-id", envelope.id);
  result.set("ce-type", envelope.type);
  result.set("ce-source", envelope.source);
  result.set("ce-time", envelope.time.toISOString());
  result.set("content-type", protobufContentType);
  result.set("Nats-Msg-Id", envelope.id);
  if (envelope.traceparent) result.set("traceparent", envelope.traceparent);
  return result;
}

/**
 * Reads an envelope back from a received message; throws `InvalidEnvelopeError` naming the
 * first missing or invalid attribute.
 */
export function envelopeFromMessage(msg: {
  subject: string;
  data: Uint8Array;
  headers?: MsgHdrs | undefined;
}): EventEnvelope {
  const hdrs = msg.headers;
  const required = (name: string): string => {
    const value = hdrs?.get(name) ?? "";
    if (!value) {
      throw new InvalidEnvelopeError(`message on ${msg.subject} has no ${name} header`);
    }
    return value;
  };
  const specVersion = required("ce-specversion");
  if (specVersion !== cloudEventsSpecVersion) {
    throw new InvalidEnvelopeError(
      `message on ${msg.subject} has ce-specversion ${specVersion}, expected ${cloudEventsSpecVersion}`,
    );
  }
  const id = required("ce-id");
  const type = required("ce-type");
  const source = required("ce-source");
  const timeText = required("ce-time");
  const time = new Date(timeText);
  if (Number.isNaN(time.getTime())) {
    throw new InvalidEnvelopeError(
      `message on ${msg.subject} has ce-time ${JSON.stringify(timeText)}, not an RFC 3339 time`,
    );
  }
  const contentType = hdrs?.get("content-type") ?? "";
  if (contentType && contentType !== protobufContentType) {
    throw new InvalidEnvelopeError(
      `message on ${msg.subject} has content-type ${contentType}, expected ${protobufContentType}`,
    );
  }
  const traceparent = hdrs?.get("traceparent") || undefined;
  return { id, type, source, time, traceparent, subject: msg.subject, body: msg.data };
}
