import { randomUUID } from "node:crypto";
import { headers } from "@nats-io/transport-node";
import { ensureStream, subjectFor, userEventsStream, userRegistered } from "@switchyard/events";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { replayStream } from "../src/replay-stream.js";
import { startConsumer } from "../src/start-consumer.js";
import { createInboxTestBed, type InboxTestBed } from "./support/inbox-test-bed.js";

let bed: InboxTestBed;
beforeEach(async () => {
  bed = await createInboxTestBed();
});
afterEach(async () => bed?.close());

describe("replayStream", () => {
  it("rebuilds a consumer's effects and inbox from the start of the stream", async () => {
    const durableName = "replayed";
    const consumer = await startConsumer({
      js: bed.js,
      jsm: bed.jsm,
      db: bed.database.db,
      namespace: bed.namespace,
      stream: userEventsStream,
      durableName,
      eventTypes: [userRegistered],
      handle: bed.recordEffect,
      retryDelayMs: () => 50,
      logger: bed.logger,
    });
    const published = [];
    for (let i = 0; i < 25; i++) published.push(await bed.publishUserRegistered());
    const first = published[0];
    if (first === undefined) throw new Error("nothing published");
    await bed.publishUserRegistered({ ...first, natsMsgId: randomUUID() }); // a duplicate
    await bed.js.publish(subjectFor(userRegistered, bed.namespace), new Uint8Array([9]), {
      headers: headers(), // poison: no envelope
    });
    await consumer.waitUntilCaughtUp();
    await consumer.stop();
    const before = await bed.effects();
    expect(before).toEqual(published);

    const result = await replayStream({
      js: bed.js,
      jsm: bed.jsm,
      db: bed.database.db,
      namespace: bed.namespace,
      stream: userEventsStream,
      durableName,
      eventTypes: [userRegistered],
      handle: bed.recordEffect,
      reset: async (tx) => {
        await tx.execute("delete from effects");
      },
      logger: bed.logger,
    });

    expect(result).toEqual({ applied: 25, duplicates: 1, poison: 1, lastSequence: 27 });
    expect(await bed.effects()).toEqual(before);
    expect(await bed.inboxRows(durableName)).toBe(25);
  });

  it("returns nothing applied for an empty stream and still resets", async () => {
    await ensureStream(bed.jsm, userEventsStream, bed.namespace);
    await bed.database
      .sql`insert into effects (event_id, user_id) values (${randomUUID()}, 'stale')`;
    const result = await replayStream({
      js: bed.js,
      jsm: bed.jsm,
      db: bed.database.db,
      namespace: bed.namespace,
      stream: userEventsStream,
      durableName: "empty",
      eventTypes: [userRegistered],
      handle: bed.recordEffect,
      reset: async (tx) => {
        await tx.execute("delete from effects");
      },
      logger: bed.logger,
    });
    expect(result).toEqual({ applied: 0, duplicates: 0, poison: 0, lastSequence: 0 });
    expect(await bed.effects()).toEqual([]);
  });

  it("rolls everything back and names the sequence when a handler fails", async () => {
    await ensureStream(bed.jsm, userEventsStream, bed.namespace);
    await bed.publishUserRegistered();
    await bed.publishUserRegistered();
    await bed.database
      .sql`insert into effects (event_id, user_id) values (${randomUUID()}, 'kept')`;
    let calls = 0;
    await expect(
      replayStream({
        js: bed.js,
        jsm: bed.jsm,
        db: bed.database.db,
        namespace: bed.namespace,
        stream: userEventsStream,
        durableName: "failing",
        eventTypes: [userRegistered],
        handle: async () => {
          calls += 1;
          if (calls === 2) throw new Error("bug in handler");
        },
        reset: async (tx) => {
          await tx.execute("delete from effects");
        },
        logger: bed.logger,
      }),
    ).rejects.toThrow(/failed at sequence 2: bug in handler/);
    expect((await bed.effects()).map((effect) => effect.userId)).toEqual(["kept"]);
  });
});
