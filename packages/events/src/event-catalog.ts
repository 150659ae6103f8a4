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
import type { AnyEventType, EventType } from "./event-type.js";
import { orderEventsStream, userEventsStream } from "./stream-definition.js";

/** A user registered (user-service, RegisterUser). */
export const userRegistered: EventType<UserRegistered> = {
  typeName: "switchyard.user.events.v1.UserRegistered",
  subject: "switchyard.user.v1.user_registered",
  stream: userEventsStream,
  codec: UserRegistered,
};

/** A user's profile changed (user-service, UpdateUser). */
export const userUpdated: EventType<UserUpdated> = {
  typeName: "switchyard.user.events.v1.UserUpdated",
  subject: "switchyard.user.v1.user_updated",
  stream: userEventsStream,
  codec: UserUpdated,
};

/** A user was suspended (user-service, SuspendUser). */
export const userSuspended: EventType<UserSuspended> = {
  typeName: "switchyard.user.events.v1.UserSuspended",
  subject: "switchyard.user.v1.user_suspended",
  stream: userEventsStream,
  codec: UserSuspended,
};

/** An order was placed (order-service, PlaceOrder). */
/** What every user event carries: the user and the version the change produced. */
export interface UserChangeFields {
  userId: string;
  userVersion: bigint;
}

/** Every event that changes a user: what a cache of users is invalidated by. */
export const userChangeEvents: readonly EventType<UserChangeFields>[] = [
  userRegistered,
  userUpdated,
  userSuspended,
];

export const orderPlaced: EventType<OrderPlaced> = {
  typeName: "switchyard.order.events.v1.OrderPlaced",
  subject: "switchyard.order.v1.order_placed",
  stream: orderEventsStream,
  codec: OrderPlaced,
};

/** An order was cancelled (order-service, CancelOrder). */
export const orderCancelled: EventType<OrderCancelled> = {
  typeName: "switchyard.order.events.v1.OrderCancelled",
  subject: "switchyard.order.v1.order_cancelled",
  stream: orderEventsStream,
  codec: OrderCancelled,
};

/** An order moved forward: confirmed or shipped (order-service). */
export const orderStatusChanged: EventType<OrderStatusChanged> = {
  typeName: "switchyard.order.events.v1.OrderStatusChanged",
  subject: "switchyard.order.v1.order_status_changed",
  stream: orderEventsStream,
  codec: OrderStatusChanged,
};

/** Every event the system publishes: the single registry docs/events.md is checked against. */
export const eventCatalog: readonly AnyEventType[] = [
  userRegistered,
  userUpdated,
  userSuspended,
  orderPlaced,
  orderCancelled,
  orderStatusChanged,
];

/** The catalog entry for a `ce-type`, or undefined when the system publishes no such event. */
export function eventTypeByName(typeName: string): AnyEventType | undefined {
  return eventCatalog.find((type) => type.typeName === typeName);
}
