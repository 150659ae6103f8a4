import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import {
  type CacheSettings,
  createTieredCache,
  defaultCacheSettings,
  natsKvTier,
  type ValueCodec,
} from "../src/index.js";
import { useTestNats } from "./support/test-nats-connections.js";

interface Item {
  id: string;
  name: string;
  version: bigint;
}

const itemCodec: ValueCodec<Item> = {
  encode: (item) =>
    new TextEncoder().encode(JSON.stringify({ ...item, version: `${item.version}` })),
  decode: (bytes) => {
    const parsed = JSON.parse(new TextDecoder().decode(bytes)) as Record<string, string>;
    return { id: `${parsed.id}`, name: `${parsed.name}`, version: BigInt(`${parsed.version}`) };
  },
};

/** A source of truth that counts its reads and can be held. */
function itemSource() {
  const items = new Map<string, Item>();
  let reads = 0;
  let gate: Promise<void> | undefined;
  return {
    items,
    reads: () => reads,
    hold() {
      let release = () => {};
      gate = new Promise<void>((resolve) => {
        release = resolve;
      });
      return () => {
        gate = undefined;
        release();
      };
    },
    async load(key: string): Promise<Item | undefined> {
      reads++;
      const snapshot = items.get(key);
      await (gate ?? sleep(5));
      return snapshot;
    },
  };
}

function fakeClock(start = 1_000_000) {
  let time = start;
  return {
    now: () => time,
    advance(ms: number) {
      time += ms;
    },
  };
}

const l1Only: CacheSettings = { ...defaultCacheSettings, l2Enabled: false };

const testNats = useTestNats();

describe("L1: lru-cache with fetchMethod", () => {
  it("single-flight: 100 concurrent misses of one key → one load, then hits", async () => {
    const source = itemSource();
    source.items.set("a", { id: "a", name: "Ada", version: 1n });
    const cache = createTieredCache<Item>({
      name: "test",
      settings: l1Only,
      load: (key) => source.load(key),
    });
    const answers = await Promise.all(Array.from({ length: 100 }, () => cache.get("a")));
    expect(answers.every((item) => item?.name === "Ada")).toBe(true);
    expect(source.reads()).toBe(1);
    await cache.get("a");
    expect(cache.stats()).toMatchObject({ misses: 100, loads: 1, hits: 1 });
  });

  it("caches 'not found' (a sentinel entry) for the negative TTL only", async () => {
    const clock = fakeClock();
    const source = itemSource();
    const cache = createTieredCache<Item>({
      name: "test",
      settings: { ...l1Only, negativeTtlMs: 2_000 },
      load: (key) => source.load(key),
      now: clock.now,
    });
    expect(await cache.get("nobody")).toBeUndefined();
    expect(await cache.get("nobody")).toBeUndefined();
    expect(source.reads()).toBe(1);
    source.items.set("nobody", { id: "nobody", name: "Now here", version: 1n });
    clock.advance(1_999);
    expect(await cache.get("nobody")).toBeUndefined();
    clock.advance(2);
    expect((await cache.get("nobody"))?.name).toBe("Now here");
    expect(source.reads()).toBe(2);
  });

  it("stale-while-revalidate: past the TTL the old value is served while ONE reload runs; past TTL + stale it is gone", async () => {
    const clock = fakeClock();
    const source = itemSource();
    source.items.set("a", { id: "a", name: "v1", version: 1n });
    const cache = createTieredCache<Item>({
      name: "test",
      settings: { ...l1Only, ttlMs: 1_000, staleMs: 1_000 },
      load: (key) => source.load(key),
      now: clock.now,
    });
    await cache.get("a");
    source.items.set("a", { id: "a", name: "v2", version: 2n });
    clock.advance(1_000);
    const release = source.hold();
    // Stale: answered at once with v1 while the reload is held.
    const served = await Promise.all([cache.get("a"), cache.get("a"), cache.get("a")]);
    expect(served.map((item) => item?.name)).toEqual(["v1", "v1", "v1"]);
    expect(source.reads()).toBe(2);
    release();
    await sleep(20);
    expect((await cache.get("a"))?.name).toBe("v2");
    expect(cache.stats()).toMatchObject({ stale: 3, loads: 2 });
    // Nobody reads for longer than ttl + stale: the next read waits for the source.
    source.items.set("a", { id: "a", name: "v3", version: 3n });
    clock.advance(2_001);
    expect((await cache.get("a"))?.name).toBe("v3");
  });

  it("an invalidation during a load discards what the load read: callers get a fresh read", async () => {
    const source = itemSource();
    source.items.set("a", { id: "a", name: "old", version: 1n });
    const cache = createTieredCache<Item>({
      name: "test",
      settings: l1Only,
      load: (key) => source.load(key),
      versionOf: (item) => item.version,
    });
    const release = source.hold();
    const reading = cache.get("a");
    await sleep(5);
    source.items.set("a", { id: "a", name: "new", version: 2n });
    cache.invalidateLocal("a", 2n);
    release();
    expect((await reading)?.name).toBe("new");
    expect((await cache.get("a"))?.name).toBe("new");
    expect(source.reads()).toBe(2);
  });

  it("a version floor: a value older than the last invalidation is served once but not kept", async () => {
    const source = itemSource();
    const clock = fakeClock(); // the served-once TTL (1 ms) must not race libuv's cached loop time
    source.items.set("a", { id: "a", name: "lagging copy", version: 4n });
    const cache = createTieredCache<Item>({
      name: "test",
      settings: l1Only,
      now: clock.now,
      load: (key) => source.load(key),
      versionOf: (item) => item.version,
    });
    cache.invalidateLocal("a", 5n);
    expect((await cache.get("a"))?.name).toBe("lagging copy");
    clock.advance(2);
    source.items.set("a", { id: "a", name: "caught up", version: 5n });
    expect((await cache.get("a"))?.name).toBe("caught up");
    expect((await cache.get("a"))?.name).toBe("caught up");
    expect(source.reads()).toBe(2);
  });

  it("keep(): a value it refuses answers the callers of its load, and the next get loads again", async () => {
    const source = itemSource();
    const clock = fakeClock();
    source.items.set("a", { id: "a", name: "partial", version: 1n });
    const cache = createTieredCache<Item>({
      name: "test",
      settings: l1Only,
      now: clock.now,
      load: (key) => source.load(key),
      keep: (item) => item.name !== "partial",
    });
    const together = await Promise.all([cache.get("a"), cache.get("a")]);
    expect(together.map((item) => item?.name)).toEqual(["partial", "partial"]);
    expect(source.reads()).toBe(1); // the two concurrent gets shared one load
    clock.advance(2);
    source.items.set("a", { id: "a", name: "whole", version: 1n });
    expect((await cache.get("a"))?.name).toBe("whole");
    expect((await cache.get("a"))?.name).toBe("whole");
    expect(source.reads()).toBe(2);
  });

  it("'not found' after an event announced the key is a lagging source: not remembered", async () => {
    const source = itemSource();
    const clock = fakeClock(); // the served-once TTL (1 ms) must not race libuv's cached loop time
    const cache = createTieredCache<Item>({
      name: "test",
      settings: l1Only,
      now: clock.now,
      load: (key) => source.load(key),
      versionOf: (item) => item.version,
    });
    cache.invalidateLocal("new", 1n); // e.g. its registration event arrived first
    expect(await cache.get("new")).toBeUndefined();
    clock.advance(2);
    source.items.set("new", { id: "new", name: "projected", version: 1n });
    expect((await cache.get("new"))?.name).toBe("projected");
    expect(source.reads()).toBe(2);
  });

  it("a failing source: a first load rejects (once), a failed reload keeps serving the stale value", async () => {
    const clock = fakeClock();
    let reads = 0;
    let failing = true;
    const cache = createTieredCache<Item>({
      name: "test",
      settings: { ...l1Only, ttlMs: 1_000, staleMs: 1_000 },
      load: async (id) => {
        reads++;
        if (failing) throw new Error("database down");
        return { id, name: "Ada", version: 1n };
      },
      now: clock.now,
    });
    await expect(cache.get("a")).rejects.toThrow("database down");
    expect(reads).toBe(1);
    failing = false;
    expect((await cache.get("a"))?.name).toBe("Ada");
    failing = true;
    clock.advance(1_500);
    expect((await cache.get("a"))?.name).toBe("Ada"); // stale, while the reload fails
    await sleep(5);
    expect((await cache.get("a"))?.name).toBe("Ada");
    expect(reads).toBe(4);
  });

  it("CACHE=off: every read goes to the source", async () => {
    const source = itemSource();
    source.items.set("a", { id: "a", name: "Ada", version: 1n });
    const cache = createTieredCache<Item>({
      name: "test",
      settings: { ...l1Only, enabled: false },
      load: (key) => source.load(key),
    });
    await Promise.all([cache.get("a"), cache.get("a"), cache.get("a")]);
    expect(source.reads()).toBe(3);
    expect(cache.stats()).toMatchObject({ hits: 0, loads: 3 });
  });

  it("counts evictions when full", async () => {
    const source = itemSource();
    for (const id of ["a", "b", "c"]) source.items.set(id, { id, name: id, version: 1n });
    const cache = createTieredCache<Item>({
      name: "test",
      settings: { ...l1Only, maxEntries: 2 },
      load: (key) => source.load(key),
    });
    for (const id of ["a", "b", "c"]) await cache.get(id);
    expect(cache.stats().evictions).toBe(1);
  });
});

describe("L2: a NATS KV bucket shared by replicas (real NATS)", () => {
  it("a replica's L1 miss is answered by what another replica loaded; invalidate clears both tiers", async () => {
    const bucket = `${testNats.nats().prefix}-items`;
    const source = itemSource();
    source.items.set("a", { id: "a", name: "Ada", version: 1n });
    const replica = async () =>
      createTieredCache<Item>({
        name: "test",
        settings: defaultCacheSettings,
        load: (key) => source.load(key),
        versionOf: (item) => item.version,
        shared: {
          codec: itemCodec,
          tier: natsKvTier({
            nats: await testNats.connection(),
            bucket,
            ttlMs: 60_000,
            timeoutMs: 1_000,
            onError: () => {},
          }),
        },
      });
    const [first, second] = [await replica(), await replica()];
    expect((await first.get("a"))?.name).toBe("Ada");
    await sleep(50); // the L2 write is not awaited by the reader
    expect((await second.get("a"))?.name).toBe("Ada");
    expect(source.reads()).toBe(1);
    expect(second.stats()).toMatchObject({ l2Hits: 1, loads: 0 });

    source.items.set("a", { id: "a", name: "Ada L.", version: 2n });
    await first.invalidate("a", 2n);
    second.invalidateLocal("a", 2n);
    expect((await second.get("a"))?.name).toBe("Ada L.");
    expect(source.reads()).toBe(2);
  });

  it("groups: invalidateGroup drops every key of the group from L1 on the replica and from L2, and no other group's", async () => {
    const bucket = `${testNats.nats().prefix}-grouped`;
    const source = itemSource();
    // One item seen by two readers ("<item>.<reader>"), and another item.
    source.items.set("a.r1", { id: "a", name: "Ada", version: 1n });
    source.items.set("a.r2", { id: "a", name: "Ada", version: 1n });
    source.items.set("b.r1", { id: "b", name: "Bob", version: 1n });
    const contexts: unknown[] = [];
    const replica = async () =>
      createTieredCache<Item>({
        name: "test",
        settings: defaultCacheSettings,
        load: (key, _signal, context) => {
          contexts.push(context);
          return source.load(key);
        },
        versionOf: (item) => item.version,
        groupOf: (key) => key.slice(0, key.indexOf(".")),
        shared: {
          codec: itemCodec,
          tier: natsKvTier({
            nats: await testNats.connection(),
            bucket,
            ttlMs: 60_000,
            timeoutMs: 1_000,
            onError: () => {},
          }),
        },
      });
    const [first, second] = [await replica(), await replica()];
    for (const key of ["a.r1", "a.r2", "b.r1"]) await first.get(key, { caller: key });
    // The load got the context of the get that started it.
    expect(contexts).toEqual([{ caller: "a.r1" }, { caller: "a.r2" }, { caller: "b.r1" }]);
    await sleep(50); // the L2 writes are not awaited by the reader
    for (const key of ["a.r1", "a.r2", "b.r1"]) await second.get(key);
    expect(second.stats()).toMatchObject({ l2Hits: 3, loads: 0 });

    for (const key of ["a.r1", "a.r2"])
      source.items.set(key, { id: "a", name: "Ada L.", version: 2n });
    await first.invalidateGroup("a", 2n);
    // This replica: both of a's keys reload; b's entry is still a hit.
    expect((await first.get("a.r1"))?.name).toBe("Ada L.");
    expect((await first.get("a.r2"))?.name).toBe("Ada L.");
    const hitsBefore = first.stats().hits;
    expect((await first.get("b.r1"))?.name).toBe("Bob");
    expect(first.stats().hits).toBe(hitsBefore + 1);
    // L2: a's keys were purged (a fresh replica loads them; b's still comes from L2). The
    // first replica wrote the new values back after its reloads, so wait for those writes.
    await sleep(50);
    const third = await replica();
    expect((await third.get("a.r1"))?.name).toBe("Ada L.");
    expect((await third.get("b.r1"))?.name).toBe("Bob");
    expect(third.stats()).toMatchObject({ l2Hits: 2, loads: 0 });

    // The other replica's L1 still holds version 1 until it hears of the change (the event):
    expect((await second.get("a.r1"))?.name).toBe("Ada");
    second.invalidateGroupLocal("a", 2n);
    expect((await second.get("a.r1"))?.name).toBe("Ada L.");
    expect((await second.get("a.r2"))?.name).toBe("Ada L.");
  });

  it("a group floor: a load of any key of the group that read before the change is served once, not kept", async () => {
    const source = itemSource();
    const clock = fakeClock(); // the served-once TTL (1 ms) must not race libuv's cached loop time
    source.items.set("a.r1", { id: "a", name: "Ada", version: 1n });
    const cache = createTieredCache<Item>({
      name: "test",
      settings: l1Only,
      now: clock.now,
      load: (key) => source.load(key),
      versionOf: (item) => item.version,
      groupOf: (key) => key.slice(0, key.indexOf(".")),
    });
    cache.invalidateGroupLocal("a", 2n);
    expect((await cache.get("a.r1"))?.name).toBe("Ada");
    clock.advance(2); // the served-once entry (1 ms) is gone
    source.items.set("a.r1", { id: "a", name: "Ada L.", version: 2n });
    expect((await cache.get("a.r1"))?.name).toBe("Ada L.");
    expect(source.reads()).toBe(2);
    expect((await cache.get("a.r1"))?.name).toBe("Ada L.");
    expect(source.reads()).toBe(2);
  });

  it("NATS unreachable → L1 only: reads, invalidations and loads carry on without throwing", async () => {
    const closed = await testNats.connection();
    await closed.close();
    const source = itemSource();
    source.items.set("a", { id: "a", name: "Ada", version: 1n });
    const cache = createTieredCache<Item>({
      name: "test",
      settings: defaultCacheSettings,
      load: (key) => source.load(key),
      shared: {
        codec: itemCodec,
        tier: natsKvTier({
          nats: closed,
          bucket: `${testNats.nats().prefix}-down`,
          ttlMs: 60_000,
          timeoutMs: 200,
          onError: () => {},
        }),
      },
    });
    expect((await cache.get("a"))?.name).toBe("Ada");
    expect((await cache.get("a"))?.name).toBe("Ada");
    await cache.invalidate("a");
    expect((await cache.get("a"))?.name).toBe("Ada");
    expect(source.reads()).toBe(2);
    expect(cache.stats()).toMatchObject({ l2Hits: 0, hits: 1, loads: 2 });
  });
});
