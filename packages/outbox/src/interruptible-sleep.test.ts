import { describe, expect, it } from "vitest";
import { createInterruptibleSleep } from "./interruptible-sleep.js";

describe("interruptible sleep", () => {
  it("ends every sleep in progress on interrupt, and sleeps normally afterwards", async () => {
    const idle = createInterruptibleSleep();
    const long = Promise.all([idle.sleep(60_000), idle.sleep(60_000)]);
    idle.interrupt();
    await long;
    const started = Date.now();
    await idle.sleep(20);
    expect(Date.now() - started).toBeGreaterThanOrEqual(15);
  });

  it("returns at once from every sleep after close", async () => {
    const idle = createInterruptibleSleep();
    const pending = idle.sleep(60_000);
    idle.close();
    await pending;
    await idle.sleep(60_000);
  });
});
