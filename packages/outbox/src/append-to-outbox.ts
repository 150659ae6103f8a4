import { randomUUID } from "node:crypto";
import type { Timestamp } from "@switchyard/contracts/grpc/google/protobuf/timestamp";
import {
  activeTraceparent,
  dateFromProtoTimestamp,
  type EventType,
  protoTimestamp,
} from "@switchyard/events";
import { sql } from "drizzle-orm";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import type { TablesRelationalConfig } from "drizzle-orm/relations";
import { outboxChannel, outboxMessages } from "./outbox-messages-table.js";

/** The fields every integration event message has (see proto/switchyard/*\/events). */
export interface EventIdentity {
  /** A UUID; empty or absent → a new one is generated. */
  eventId?: string;
  /** When it happened; absent → now. */
  occurTime?: Timestamp | undefined;
}

/**
 * Inserts an event into the outbox as part of `tx`, the transaction that makes the state
 * change, so both commit or neither does. Also NOTIFYs the relay (delivered only on commit).
 * Returns the event id.
 *
 * The row's `traceparent` is the span active now (with the database instrumented, the
 * transaction's span), so the relay's send span and the consumer's process span join the
 * request's trace; with no active span, `options.traceparent` (the caller's value) is kept.
 */
export async function appendToOutbox<
  T extends EventIdentity,
  TQueryResult extends PgQueryResultHKT,
  TFullSchema extends Record<string, unknown>,
  TSchema extends TablesRelationalConfig,
>(
  tx: PgDatabase<TQueryResult, TFullSchema, TSchema>,
  type: EventType<T>,
  event: Omit<T, keyof EventIdentity> & EventIdentity,
  options: { aggregateId: string; traceparent?: string | undefined },
): Promise<string> {
  const eventId = event.eventId || randomUUID();
  const occurTime = event.occurTime ?? protoTimestamp(new Date());
  const complete = { ...event, eventId, occurTime } as T;
  await tx.insert(outboxMessages).values({
    eventId,
    subject: type.subject,
    eventType: type.typeName,
    aggregateId: options.aggregateId,
    payload: type.codec.encode(complete).finish(),
    traceparent: activeTraceparent() ?? options.traceparent ?? null,
    occurTime: dateFromProtoTimestamp(occurTime),
  });
  await tx.execute(sql`select pg_notify(${outboxChannel}, '')`);
  return eventId;
}
