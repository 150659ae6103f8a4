import {
  OrderCancelled,
  OrderPlaced,
  OrderStatusChanged,
} from "@switchyard/contracts/grpc/switchyard/order/events/v1/order_events";
import {
  UserRegistered,
  UserSuspended,
  UserUpdated,
} from "@switchyard/contracts/grpc/switchyard/user/events/v1/user_events";
import {
  type AnyEventType,
  type EventCodec,
  orderCancelled,
  orderPlaced,
  orderStatusChanged,
  userRegistered,
  userSuspended,
  userUpdated,
} from "@switchyard/events";

/**
 * The generated (ts-proto) message functions a contract needs: the binary codec the services
 * use on the wire, and the protobuf JSON mapping the pact files carry (Pact has no protobuf
 * support without its downloadable plugin; the JSON form is the same message, field for field).
 */
export interface JsonEventCodec<T> extends EventCodec<T> {
  fromJSON(object: unknown): T;
  toJSON(message: T): unknown;
}

// biome-ignore lint/suspicious/noExplicitAny: one table for every event message type.
const codecs = new Map<string, JsonEventCodec<any>>([
  [userRegistered.typeName, UserRegistered],
  [userUpdated.typeName, UserUpdated],
  [userSuspended.typeName, UserSuspended],
  [orderPlaced.typeName, OrderPlaced],
  [orderStatusChanged.typeName, OrderStatusChanged],
  [orderCancelled.typeName, OrderCancelled],
]);

/** The JSON-capable codec of a catalog event type (by its `ce-type`). */
export function jsonCodecOf<T>(type: AnyEventType | string): JsonEventCodec<T> {
  const typeName = typeof type === "string" ? type : type.typeName;
  const codec = codecs.get(typeName);
  if (codec === undefined) throw new Error(`no contract codec for event type ${typeName}`);
  return codec;
}
