import { createLogger } from "@switchyard/logging";
import { describe, expect, it } from "vitest";
import { superviseCdcSessions } from "./cdc-relay-supervisor.js";
import type { InterruptibleSleep } from "./interruptible-sleep.js";

const logger = createLogger({ service: "cdc-supervisor-test", level: "silent" });

/** What each successive session does; past the script a session streams until stopped. */
type Step = "fail" | "stream-then-fail" | "slot-busy";

/** A scripted relay: sessions are stand-ins for replication connections, sleeps are recorded. */
function scriptedRelay(steps: Step[], options: { slotCreated?: boolean } = {}) {
  const events: string[] = [];
  const sleeps: number[] = [];
  let streaming: (() => void) | undefined;
  const live = new Promise<void>((resolve) => {
    streaming = resolve;
  });
  const sleep: InterruptibleSleep = {
    async sleep(ms) {
      sleeps.push(ms);
    },
    interrupt() {},
    close() {},
  };
  let opened = 0;
  const supervisor = superviseCdcSessions({
    openSession() {
      const step = steps[opened++];
      events.push(`session ${opened}`);
      let stop: () => void = () => {};
      const session = {
        streamed: false,
        async run(): Promise<"ended" | "slot-busy"> {
          if (step === "fail") throw new Error("connection refused");
          if (step === "slot-busy") return "slot-busy";
          session.streamed = true;
          if (step === "stream-then-fail") throw new Error("connection lost");
          streaming?.();
          await new Promise<void>((resolve) => {
            stop = resolve;
          });
          return "ended";
        },
        async stop() {
          events.push("stop");
          stop();
        },
      };
      return session;
    },
    async catchUp() {
      events.push("catch-up");
    },
    async repairReplication() {
      events.push("repair");
      return { slotCreated: false };
    },
    slotCreated: options.slotCreated ?? false,
    slot: "test_slot",
    standbyRetryMs: 2_000,
    reconnectDelayMs: 1_000,
    maxReconnectDelayMs: 8_000,
    logger,
    sleep,
  });
  return { supervisor, events, sleeps, streaming: live };
}

describe("CDC relay supervisor", () => {
  it("restarts a failed session after a delay that doubles up to the maximum", async () => {
    const relay = scriptedRelay(["fail", "fail", "fail", "fail", "fail"]);
    await relay.streaming;
    expect(relay.sleeps).toEqual([1_000, 2_000, 4_000, 8_000, 8_000]);
    expect(relay.events.filter((event) => event === "repair")).toHaveLength(5);
    await relay.supervisor.stop();
  });

  it("starts the backoff over once a session has streamed", async () => {
    const relay = scriptedRelay(["fail", "fail", "stream-then-fail", "fail"]);
    await relay.streaming;
    expect(relay.sleeps).toEqual([1_000, 2_000, 1_000, 2_000]);
    await relay.supervisor.stop();
  });

  it("stands by while another relay holds the slot and takes over when it is free", async () => {
    const relay = scriptedRelay(["slot-busy", "slot-busy"]);
    await relay.streaming;
    expect(relay.sleeps).toEqual([2_000, 2_000]);
    expect(relay.events).toEqual(["session 1", "session 2", "session 3"]);
    await relay.supervisor.stop();
  });

  it("catches up on rows committed before a new slot existed, before the first session", async () => {
    const relay = scriptedRelay([], { slotCreated: true });
    await relay.streaming;
    expect(relay.events).toEqual(["catch-up", "session 1"]);
    await relay.supervisor.stop();
  });

  it("stops the streaming session gracefully and ends its loop", async () => {
    const relay = scriptedRelay(["fail"]);
    await relay.streaming;
    await relay.supervisor.stop();
    expect(relay.events).toEqual(["session 1", "repair", "session 2", "stop"]);
  });
});
