import type { Pgoutput } from "pg-logical-replication";
import { parseLsn } from "./cdc-log-sequence-number.js";
import type { PublishableOutboxRow } from "./outbox-publisher.js";

/** What the relay needs from one pgoutput message. */
export type OutboxChange =
  | { kind: "event"; row: PublishableOutboxRow }
  | { kind: "commit"; lsn: bigint };

/** A change the relay cannot read: the table is not what the outbox migrations create. */
export class OutboxChangeDecodingError extends Error {
  override readonly name = "OutboxChangeDecodingError";
}

const outboxTable = "outbox_messages";

/**
 * An insert into `outbox_messages` → the row to publish; a commit → the LSN where it ends (what
 * the slot is acknowledged with); anything else (begin, relation, other tables, heartbeat
 * messages) → undefined: the relay skips it.
 */
export function decodeOutboxChange(message: Pgoutput.Message): OutboxChange | undefined {
  if (message.tag === "insert" && message.relation.name === outboxTable) {
    return { kind: "event", row: outboxRowFromTuple(message.new) };
  }
  if (message.tag === "commit") {
    if (!message.commitEndLsn) {
      throw new OutboxChangeDecodingError("pgoutput commit without an end LSN");
    }
    return { kind: "commit", lsn: parseLsn(message.commitEndLsn) };
  }
  return undefined;
}

/** The publishable columns of an `outbox_messages` insert, as pgoutput's parsers typed them. */
export function outboxRowFromTuple(tuple: Record<string, unknown>): PublishableOutboxRow {
  const { event_id, subject, event_type, payload, traceparent, occur_time, create_time } = tuple;
  if (
    typeof event_id !== "string" ||
    typeof subject !== "string" ||
    typeof event_type !== "string" ||
    !(payload instanceof Uint8Array) ||
    !(occur_time instanceof Date) ||
    !(traceparent === null || typeof traceparent === "string")
  ) {
    throw new OutboxChangeDecodingError(
      `outbox_messages row ${String(event_id)} from the change stream has unexpected column types`,
    );
  }
  return {
    eventId: event_id,
    subject,
    eventType: event_type,
    // pg's Buffer may be a view into a larger pool buffer: keep exactly the payload's bytes.
    payload: new Uint8Array(payload.buffer, payload.byteOffset, payload.byteLength),
    traceparent,
    occurTime: occur_time,
    // Always set by the table's default; a table without it only loses the lag metric.
    createTime: create_time instanceof Date ? create_time : undefined,
  };
}
