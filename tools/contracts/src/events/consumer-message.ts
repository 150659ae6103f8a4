import { headers, type MsgHdrs } from "@nats-io/transport-node";
import { jsonCodecOf } from "./event-json.js";

/** What a V4 asynchronous interaction hands the consumer test (Pact's type is not exported). */
export interface PactMessage {
  contents: { content: unknown };
  metadata: Record<string, unknown>;
}

/** A message as the consumer's NATS subscription delivers it. */
export interface DeliveredMessage {
  subject: string;
  data: Uint8Array;
  headers: MsgHdrs;
}

/**
 * Turns the pact's message back into what the consumer receives on NATS: the protobuf JSON body
 * parsed and ENCODED to the binary form (which the real decode path then decodes), the metadata
 * as NATS headers. Pact's own bookkeeping key (`contentType`) is not a header.
 */
export function deliveredMessage(message: PactMessage): DeliveredMessage {
  const metadata = message.metadata as Record<string, unknown>;
  const typeName = String(metadata["ce-type"] ?? "");
  const codec = jsonCodecOf(typeName);
  const natsHeaders = headers();
  for (const [name, value] of Object.entries(metadata)) {
    if (name === "contentType" || name === "subject") continue;
    natsHeaders.set(name, String(value));
  }
  return {
    subject: String(metadata.subject ?? ""),
    data: codec.encode(codec.fromJSON(message.contents.content)).finish(),
    headers: natsHeaders,
  };
}
