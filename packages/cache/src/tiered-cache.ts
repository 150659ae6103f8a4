import { LRUCache } from "lru-cache";
import type { CacheSettings } from "./cache-config.js";
import { CacheCounters, type CacheStats } from "./cache-stats.js";
import type { SharedTier } from "./nats-kv-tier.js";

/** How a cached value travels to and from the shared tier. */
export interface ValueCodec<V> {
  encode(value: V): Uint8Array;
  decode(bytes: Uint8Array): V;
}

/**
 * A read-through cache of one kind of value by key: L1 in process, then L2 (shared), then the
 * loader. `undefined` from the loader means "no such thing" and is cached as a negative entry.
 */
export interface TieredCache<V> {
  /**
   * The value (or undefined: not found), from the nearest tier that has it. `loadContext` is
   * handed to the loader if this call starts a load (concurrent misses of the key share the
   * first caller's load, and so its context).
   */
  get(key: string, loadContext?: unknown): Promise<V | undefined>;
  /**
   * Removes the key from L2 and from this replica's L1, and cancels loads of it in flight.
   * `version`: the version the change produced; until the entry expires nothing older is
   * cached again (a load that read before the change, or an L2 write that raced it).
   */
  invalidate(key: string, version?: bigint): Promise<void>;
  /** Like `invalidate`, in this replica only (L2 untouched). */
  invalidateLocal(key: string, version?: bigint): void;
  /**
   * `invalidate` for every key of a group (`groupOf`): this replica's L1 entries and loads of
   * the group's keys, and — when the shared tier can — the group's L2 keys. `version` becomes
   * the group's floor: no value of any of its keys older than it is cached again. Every cache
   * `createTieredCache` makes has it (optional for other implementations, e.g. pass-throughs).
   */
  invalidateGroup?(group: string, version?: bigint): Promise<void>;
  /** Like `invalidateGroup`, in this replica only (L2 untouched). */
  invalidateGroupLocal?(group: string, version?: bigint): void;
  /**
   * Removes the group's KEPT entries in this replica and leaves its loads in flight alone (they
   * finish and are kept): a second drop, once the sources have caught up with a change — a load
   * that started since read them.
   */
  dropGroupEntriesLocal?(group: string): void;
  /** Drops every L1 entry (e.g. after a NATS reconnect, when events may have been missed). */
  clearLocal(): void;
  stats(): CacheStats;
  readonly name: string;
  readonly settings: CacheSettings;
}

export interface TieredCacheOptions<V> {
  /** Metric attribute `cache.name` and log name, e.g. "user-service.users". */
  name: string;
  settings: CacheSettings;
  /**
   * The source of truth; resolves undefined for "not found". Aborted when invalidated.
   * `context`: what the `get` that started the load passed (e.g. the caller's deadline).
   */
  load(key: string, signal: AbortSignal, context?: unknown): Promise<V | undefined>;
  /** Omit for L1 only (no NATS, or CACHE_L2=off). */
  shared?: { tier: SharedTier; codec: ValueCodec<V> };
  /** The value's version (optimistic-concurrency counter): enables version floors. */
  versionOf?(value: V): bigint;
  /**
   * Keys that belong together and are invalidated together (`invalidateGroup`), e.g. one
   * user's entries for several callers: key "<group>.<rest>" → "<group>". For the shared tier
   * to drop a group's keys, a key must be `<group>.<rest>` in KV-key characters (`kvKeyOf`
   * leaves it as is); otherwise the group's L2 keys only age out (the floor still refuses them).
   */
  groupOf?(key: string): string;
  /**
   * Whether a loaded value may be kept (default: always). A value it refuses — e.g. a page
   * that came back partial — answers the callers waiting on that load and nobody after them.
   */
  keep?(value: V): boolean;
  /** Milliseconds now; tests pass a fake. */
  now?(): number;
}

type Entry<V> =
  | { found: true; value: V; freshUntil: number }
  | { found: false; freshUntil: number };

/** An entry the cache hands to the waiting readers but keeps for no one else. */
const servedOnceTtlMs = 1;

/** A load read before an invalidation: its callers retry, this many times at most. */
const maxAttempts = 3;

/** How much longer than an entry a group remembers its keys (a load may take this long). */
const groupKeysSlackMs = 60_000;

/**
 * The two-tier cache. L1 is an `lru-cache` whose `fetchMethod` is the L2-then-loader path, so
 * concurrent misses of one key share ONE load (single-flight). An entry is fresh for
 * `ttlMs`, then served stale for at most `staleMs` more while one reload runs in the
 * background (stale-while-revalidate); after that it is gone (lru-cache's TTL is the hard
 * limit, so a rarely read key is never served older than ttl + stale). "Not found" is an
 * entry too (a sentinel, since `fetchMethod` returning undefined caches nothing) with its own
 * short TTL and no stale window.
 */
export function createTieredCache<V>(
  options: TieredCacheOptions<V>,
): TieredCache<V> & Required<Pick<TieredCache<V>, "invalidateGroup" | "invalidateGroupLocal">> {
  const { settings, name } = options;
  const now = options.now ?? Date.now;
  const counters = new CacheCounters(name);
  const shared = settings.l2Enabled ? options.shared : undefined;
  // The newest version an invalidation announced, per key: older values are not cached again.
  const floors = new LRUCache<string, bigint>({
    max: settings.maxEntries,
    ttl: settings.l2TtlMs + settings.ttlMs + settings.staleMs,
    perf: { now },
    ttlResolution: 0,
  });

  // Groups: the floor each group invalidation announced, and the keys this replica was asked
  // for per group (so invalidating a group reaches its L1 entries and its loads in flight).
  // Both outlive every entry they cover: an entry lives at most ttl + stale after its load.
  const { groupOf } = options;
  const groupFloors = new LRUCache<string, bigint>({
    max: settings.maxEntries,
    ttl: settings.l2TtlMs + settings.ttlMs + settings.staleMs,
    perf: { now },
    ttlResolution: 0,
  });
  const groupKeys = new LRUCache<string, Set<string>>({
    max: settings.maxEntries,
    ttl: settings.ttlMs + settings.staleMs + groupKeysSlackMs,
    perf: { now },
    ttlResolution: 0,
  });
  const floorOf = (key: string): bigint | undefined => {
    const own = floors.get(key);
    const group = groupOf === undefined ? undefined : groupFloors.get(groupOf(key));
    if (own === undefined) return group;
    return group === undefined || own > group ? own : group;
  };
  const hasFloor = (key: string): boolean =>
    floors.has(key) || (groupOf !== undefined && groupFloors.has(groupOf(key)));

  const belowFloor = (key: string, value: V): boolean => {
    const floor = floorOf(key);
    return (
      floor !== undefined && options.versionOf !== undefined && options.versionOf(value) < floor
    );
  };

  const l1 = new LRUCache<string, Entry<V>>({
    max: settings.maxEntries,
    ttl: settings.ttlMs + settings.staleMs,
    perf: { now },
    // Read the clock on every check (no 1 ms memo): an entry's freshness and lru-cache's TTL
    // must agree, and tests move a fake clock.
    ttlResolution: 0,
    // A failed background reload keeps the stale entry (until its hard TTL): the source down
    // is not a miss. A failed first load still rejects (allowStaleOnFetchRejection would turn
    // it into undefined, i.e. "not found").
    noDeleteOnFetchRejection: true,
    dispose: (_value, _key, reason) => {
      if (reason === "evict") counters.count("evictions");
    },
    fetchMethod: async (key, _stale, { signal, options: fetchOptions, context }) => {
      const fresh = (value: V): Entry<V> => ({
        found: true,
        value,
        freshUntil: now() + settings.ttlMs,
      });
      if (shared !== undefined) {
        const stored = await shared.tier.get(key);
        if (stored !== undefined) {
          try {
            const value = shared.codec.decode(stored.bytes);
            if (!belowFloor(key, value)) {
              counters.count("l2Hits");
              return fresh(value);
            }
          } catch (error) {
            // A value this version cannot read (another shape, a bug): a miss, reloaded below.
            void error;
          }
        }
      }
      counters.count("loads");
      const value = await options.load(key, signal, context);
      if (value === undefined) {
        // An event announced this key (it has a floor): "not found" is a source lagging
        // behind it (a projection not caught up), so it is not remembered.
        const lagging = signal.aborted || hasFloor(key);
        fetchOptions.ttl = lagging ? servedOnceTtlMs : settings.negativeTtlMs;
        return { found: false, freshUntil: lagging ? 0 : now() + settings.negativeTtlMs };
      }
      if (signal.aborted || belowFloor(key, value) || options.keep?.(value) === false) {
        // Read before a change this replica has heard of (or not to be kept): answer the
        // waiting callers with it (their read was concurrent with the write) but keep it for
        // no one else.
        fetchOptions.ttl = servedOnceTtlMs;
        return { found: true, value, freshUntil: 0 };
      }
      if (shared !== undefined) {
        void shared.tier.put(key, shared.codec.encode(value));
      }
      return fresh(value);
    },
  });

  const answerOf = (entry: Entry<V>): V | undefined => (entry.found ? entry.value : undefined);

  // Bumped by every invalidation: tells a load aborted by one from a load that failed.
  let invalidations = 0;

  const invalidateLocal = (key: string, version?: bigint) => {
    invalidations++;
    if (version !== undefined) {
      const floor = floors.get(key);
      if (floor === undefined || version > floor) floors.set(key, version);
    }
    counters.count("invalidations");
    // Deleting a key whose load is in flight aborts that load: it stores nothing.
    l1.delete(key);
  };

  const invalidateGroupLocal = (group: string, version?: bigint) => {
    invalidations++;
    if (version !== undefined) {
      const floor = groupFloors.get(group);
      if (floor === undefined || version > floor) groupFloors.set(group, version);
    }
    counters.count("invalidations");
    const keys = groupKeys.get(group);
    groupKeys.delete(group);
    for (const key of keys ?? []) l1.delete(key);
  };

  const dropGroupEntriesLocal = (group: string) => {
    counters.count("invalidations");
    // `peek` answers nothing for a key whose (first) load is in flight: that load stays.
    for (const key of groupKeys.get(group) ?? []) {
      if (l1.peek(key) !== undefined) l1.delete(key);
    }
  };

  const remember = (key: string) => {
    if (groupOf === undefined) return;
    const group = groupOf(key);
    const keys = groupKeys.get(group);
    if (keys === undefined) groupKeys.set(group, new Set([key]));
    else {
      keys.add(key);
      // Refreshes the group's TTL: it lives as long as its newest entry can.
      groupKeys.set(group, keys);
    }
  };

  return {
    name,
    settings,
    async get(key, loadContext) {
      if (!settings.enabled) {
        counters.count("loads");
        return options.load(key, new AbortController().signal, loadContext);
      }
      for (let attempt = 0; attempt < maxAttempts; attempt++) {
        const current = l1.peek(key);
        const stale = current !== undefined && now() >= current.freshUntil;
        // A load may start: the key joins its group's index (a hit needs no bookkeeping).
        if (current === undefined || stale) remember(key);
        // Only a value is served stale while it reloads; an expired "not found" is a miss.
        const serveStale = stale && current.found;
        if (current === undefined || (stale && !serveStale)) counters.count("misses");
        else counters.count(serveStale ? "stale" : "hits");
        const invalidationsBefore = invalidations;
        try {
          const entry = await l1.fetch(key, {
            forceRefresh: stale,
            allowStale: serveStale,
            context: loadContext,
          });
          if (entry !== undefined) return answerOf(entry);
        } catch (error) {
          // lru-cache rejects the waiters of a load that an invalidation aborted ("deleted"):
          // their answer is a read after the change, so read again. Other failures are the
          // source's, for the caller.
          if (invalidations === invalidationsBefore) throw error;
        }
      }
      counters.count("loads");
      return options.load(key, new AbortController().signal, loadContext);
    },
    async invalidate(key, version) {
      invalidateLocal(key, version);
      if (shared !== undefined) await shared.tier.delete(key);
    },
    invalidateLocal,
    async invalidateGroup(group, version) {
      invalidateGroupLocal(group, version);
      if (shared?.tier.deleteGroup !== undefined) await shared.tier.deleteGroup(group);
    },
    invalidateGroupLocal,
    dropGroupEntriesLocal,
    clearLocal() {
      invalidations++;
      l1.clear();
    },
    stats: () => counters.snapshot(),
  };
}
