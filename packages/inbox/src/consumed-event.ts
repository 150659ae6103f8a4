import type { AnyEventType, EventEnvelope, EventType } from "@switchyard/events";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";

/** A database or an open transaction: handlers write their effects through it. */
export type InboxDatabase = PgDatabase<PgQueryResultHKT, Record<string, unknown>>;

/** One decoded event as a handler sees it. */
export interface ConsumedEvent<T = unknown> {
  envelope: EventEnvelope;
  message: T;
  type: EventType<T>;
}

/**
 * Applies one event's effect inside `tx`, the transaction that also records it in the inbox.
 * Throw to roll both back: the message is retried (NAK with backoff), then dead-lettered.
 */
export type EventHandler = (event: ConsumedEvent, tx: InboxDatabase) => Promise<void>;

/** Narrows a consumed event to one event type, so the handler reads a typed message. */
export function isEventOf<T>(event: ConsumedEvent, type: EventType<T>): event is ConsumedEvent<T> {
  return event.type.typeName === type.typeName;
}

/** The catalog entries a consumer handles, by `ce-type`; a duplicate name is a wiring bug. */
export function eventTypesByName(eventTypes: readonly AnyEventType[]): Map<string, AnyEventType> {
  const byName = new Map<string, AnyEventType>();
  for (const type of eventTypes) {
    if (byName.has(type.typeName)) {
      throw new Error(`event type ${type.typeName} is listed twice for one consumer`);
    }
    byName.set(type.typeName, type);
  }
  return byName;
}
