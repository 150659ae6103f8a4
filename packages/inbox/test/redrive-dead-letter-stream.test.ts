import { streamNameFor, userEventsStream, userRegistered } from "@switchyard/events";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { deadLetterStreamFor } from "../src/dead-letter-stream.js";
import { redriveDeadLetterStream } from "../src/redrive-dead-letter-stream.js";
import { type RunningConsumer, startConsumer } from "../src/start-consumer.js";
import { createInboxTestBed, eventually, type InboxTestBed } from "./support/inbox-test-bed.js";

let bed: InboxTestBed;
const running: RunningConsumer[] = [];
beforeEach(async () => {
  bed = await createInboxTestBed();
});
afterEach(async () => {
  await Promise.all(running.splice(0).map((consumer) => consumer.stop()));
  await bed?.close();
});

describe("redriveDeadLetterStream", () => {
  it("puts a dead letter back on its subject: the fixed consumer applies it, the others skip it", async () => {
    let broken = true;
    const start = async (durableName: string, failing: boolean) => {
      const consumer = await startConsumer({
        js: bed.js,
        jsm: bed.jsm,
        db: bed.database.db,
        namespace: bed.namespace,
        stream: userEventsStream,
        durableName,
        eventTypes: [userRegistered],
        handle: async (event, tx) => {
          if (failing && broken) throw new Error("handler bug");
          await bed.recordEffect(event, tx);
        },
        maxDeliver: 2,
        retryDelayMs: () => 20,
        logger: bed.logger,
      });
      running.push(consumer);
      return consumer;
    };
    const healthy = await start("healthy", false);
    const buggy = await start("buggy", true);
    const event = await bed.publishUserRegistered();
    const deadLetters = streamNameFor(deadLetterStreamFor(userEventsStream), bed.namespace);
    await eventually(async () =>
      expect((await bed.jsm.streams.info(deadLetters)).state.messages).toBe(1),
    );
    await buggy.waitUntilCaughtUp();
    await healthy.waitUntilCaughtUp();
    expect(await bed.effects()).toEqual([event]); // the healthy consumer only

    broken = false; // "deploy the fix"
    const redriven = await redriveDeadLetterStream({
      js: bed.js,
      jsm: bed.jsm,
      namespace: bed.namespace,
      stream: userEventsStream,
      consumer: "buggy",
    });
    expect(redriven).toBe(1);
    await eventually(async () => expect(await bed.inboxRows("buggy")).toBe(1));
    await buggy.waitUntilCaughtUp();
    await healthy.waitUntilCaughtUp();

    expect(await bed.effects()).toEqual([event, event]); // once per consumer, never twice
    expect(await bed.inboxRows("healthy")).toBe(1);
    expect((await bed.jsm.streams.info(deadLetters)).state.messages).toBe(0);
  });
});
