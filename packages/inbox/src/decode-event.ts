import type { MsgHdrs } from "@nats-io/transport-node";
import { type AnyEventType, envelopeFromMessage, InvalidEnvelopeError } from "@switchyard/events";
import type { ConsumedEvent } from "./consumed-event.js";
import { PoisonMessageError } from "./poison-message-error.js";

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Reads the CloudEvents envelope and decodes the body with the event type's generated codec.
 * Returns undefined for a valid event of a type this consumer does not handle (a producer may
 * add event types to its stream before every consumer knows them). Throws PoisonMessageError for
 * anything that can never succeed: missing or invalid headers, a non-UUID id, an undecodable body.
 */
export function decodeEvent(
  msg: { subject: string; data: Uint8Array; headers?: MsgHdrs | undefined },
  eventTypes: ReadonlyMap<string, AnyEventType>,
): ConsumedEvent | undefined {
  let envelope: ReturnType<typeof envelopeFromMessage>;
  try {
    envelope = envelopeFromMessage(msg);
  } catch (error) {
    if (error instanceof InvalidEnvelopeError) throw new PoisonMessageError(error.message);
    throw error;
  }
  if (!uuidPattern.test(envelope.id)) {
    throw new PoisonMessageError(
      `message on ${msg.subject} has ce-id ${JSON.stringify(envelope.id)}, not a UUID`,
    );
  }
  const type = eventTypes.get(envelope.type);
  if (type === undefined) return undefined;
  let message: unknown;
  try {
    message = type.codec.decode(envelope.body);
  } catch (error) {
    throw new PoisonMessageError(
      `event ${envelope.id} (${envelope.type}) does not decode: ${(error as Error).message}`,
    );
  }
  return { envelope, message, type };
}
