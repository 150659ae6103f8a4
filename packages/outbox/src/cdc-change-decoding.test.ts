import type { Pgoutput } from "pg-logical-replication";
import { describe, expect, it } from "vitest";
import { decodeOutboxChange, OutboxChangeDecodingError } from "./cdc-change-decoding.js";

const relation = (name: string) => ({ tag: "relation", name }) as Pgoutput.MessageRelation;
const occurTime = new Date("2026-11-26T06:00:00.000Z");
const tuple = {
  event_id: "0b7f0c52-5d55-4a43-9a54-2c4dbb1f1f43",
  subject: "order.v1.order_placed",
  event_type: "switchyard.order.events.v1.OrderPlaced",
  aggregate_id: "order-1",
  payload: Buffer.from([1, 2, 3]),
  traceparent: null,
  occur_time: occurTime,
};

describe("decoding outbox changes", () => {
  it("turns an outbox insert into the row to publish", () => {
    const change = decodeOutboxChange({
      tag: "insert",
      relation: relation("outbox_messages"),
      new: tuple,
    });
    expect(change).toEqual({
      kind: "event",
      row: {
        eventId: tuple.event_id,
        subject: tuple.subject,
        eventType: tuple.event_type,
        payload: new Uint8Array([1, 2, 3]),
        traceparent: null,
        occurTime,
      },
    });
  });

  it("turns a commit into the LSN where it ends", () => {
    const commit = { tag: "commit", commitLsn: "0/16B3740", commitEndLsn: "0/16B3790" };
    expect(decodeOutboxChange(commit as Pgoutput.MessageCommit)).toEqual({
      kind: "commit",
      lsn: 0x16b3790n,
    });
  });

  it("skips inserts into other tables and every other kind of message", () => {
    expect(
      decodeOutboxChange({ tag: "insert", relation: relation("orders"), new: tuple }),
    ).toBeUndefined();
    expect(decodeOutboxChange(relation("outbox_messages"))).toBeUndefined();
    expect(decodeOutboxChange({ tag: "begin" } as Pgoutput.MessageBegin)).toBeUndefined();
  });

  it("rejects a row whose columns are not the outbox table's", () => {
    const insert = {
      tag: "insert",
      relation: relation("outbox_messages"),
      new: { ...tuple, payload: "not bytes" },
    } as const;
    expect(() => decodeOutboxChange(insert)).toThrow(OutboxChangeDecodingError);
    expect(() => decodeOutboxChange(insert)).toThrow(/unexpected column types/);
  });

  it("rejects a commit without an end LSN", () => {
    const commit = { tag: "commit", commitLsn: null, commitEndLsn: null };
    expect(() => decodeOutboxChange(commit as unknown as Pgoutput.MessageCommit)).toThrow(
      OutboxChangeDecodingError,
    );
  });
});
