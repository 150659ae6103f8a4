import { createTieredCache, defaultCacheSettings } from "@switchyard/cache";
import { afterEach, describe, expect, it, vi } from "vitest";
import { settling } from "./dashboard-edge-cache.js";

afterEach(() => {
  vi.useRealTimers();
});

/** The tier's cache as `dashboardEdgeTier` makes it (fresh for a minute, settle 250 ms). */
const settlingCache = (load: (key: string) => Promise<string>) =>
  settling(
    createTieredCache<string>({
      name: "test",
      settings: { ...defaultCacheSettings, l2Enabled: false, ttlMs: 60_000, staleMs: 0 },
      load,
      groupOf: (key) => key.slice(0, key.indexOf(".")),
    }),
    250,
  );

describe("the dashboard tier's second drop (settling)", () => {
  it("a page reloaded before its source caught up is dropped again settleMs later, then reloaded with the change", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    // The source: what web-bff would build, and how many times it was asked.
    let page = "old";
    let loads = 0;
    const cache = settlingCache(async () => {
      loads++;
      return page;
    });
    expect(await cache.get("c.caller")).toBe("old");
    expect(await cache.get("c.caller")).toBe("old");
    expect(loads).toBe(1);

    // The event reaches the gateway first: the drop, and a reload from a source not caught up.
    await cache.invalidateGroup?.("c");
    expect(await cache.get("c.caller")).toBe("old");
    expect(loads).toBe(2);
    page = "new"; // the source catches up, and no event will say so
    expect(await cache.get("c.caller")).toBe("old"); // kept... until the second drop
    vi.advanceTimersByTime(249);
    expect(await cache.get("c.caller")).toBe("old");
    vi.advanceTimersByTime(1);
    expect(await cache.get("c.caller")).toBe("new");
    expect(loads).toBe(3);
    // A write through this replica drops the same way (invalidateGroupLocal), twice.
    page = "newer";
    cache.invalidateGroupLocal?.("c");
    expect(await cache.get("c.caller")).toBe("newer");
    expect(loads).toBe(4);
    vi.advanceTimersByTime(250);
    expect(await cache.get("c.caller")).toBe("newer");
    expect(loads).toBe(5);
    cache.stopSettling();
  });

  it("the second drop leaves a load in flight alone: it finishes and is kept", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    let loads = 0;
    let release = () => {};
    const cache = settlingCache(async () => {
      loads++;
      await new Promise<void>((resolve) => {
        release = resolve;
      });
      return `page ${loads}`;
    });
    await cache.invalidateGroup?.("c"); // the first drop (nothing cached yet)
    vi.advanceTimersByTime(200);
    const reading = cache.get("c.caller"); // a load that starts after the sources caught up
    vi.advanceTimersByTime(50); // the second drop, while it is in flight
    release();
    expect(await reading).toBe("page 1");
    expect(await cache.get("c.caller")).toBe("page 1"); // kept: no second load
    expect(loads).toBe(1);
    cache.stopSettling();
  });

  it("other groups are untouched, and stopSettling cancels the pending drops", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    let loads = 0;
    const cache = settlingCache(async (key) => {
      loads++;
      return key;
    });
    await cache.get("a.x");
    await cache.get("b.x");
    await cache.invalidateGroup?.("a");
    await cache.get("a.x"); // reloaded after the first drop
    expect(loads).toBe(3);
    cache.stopSettling();
    vi.advanceTimersByTime(1_000);
    await cache.get("a.x");
    await cache.get("b.x");
    expect(loads).toBe(3); // no second drop ran; b was never dropped
  });
});
