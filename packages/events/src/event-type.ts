import type { StreamDefinition } from "./stream-definition.js";

/** The ts-proto message functions an event needs: binary encode and decode. */
export interface EventCodec<T> {
  encode(message: T): { finish(): Uint8Array };
  decode(input: Uint8Array): T;
}

/** One kind of integration event: its wire name, where it is published, how it is encoded. */
export interface EventType<T> {
  /** Fully-qualified proto message name; also the CloudEvents `ce-type`. */
  typeName: string;
  /** Un-namespaced NATS subject, e.g. `switchyard.order.v1.order_placed`. */
  subject: string;
  stream: StreamDefinition;
  codec: EventCodec<T>;
}

/** Any event type, for registries and consumers that handle several. */
// `any`, not `unknown`: EventType is invariant in T (codec.encode takes a T), and a registry
// holds event types of every message type.
// biome-ignore lint/suspicious/noExplicitAny: EventType is invariant in T; see the comment above.
export type AnyEventType = EventType<any>;
