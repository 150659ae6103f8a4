import { type Counter, type MeterProvider, metrics } from "@opentelemetry/api";

/** What one cache has done since it was created (`TieredCache.stats()`). */
export interface CacheStats {
  /** Reads answered by a fresh L1 entry (including a cached "not found"). */
  hits: number;
  /** Reads L1 could not answer (they waited for L2 or a load, alone or single-flighted). */
  misses: number;
  /** Reads answered by an expired-but-still-servable L1 entry while one reload ran. */
  stale: number;
  /** L1 misses answered by the shared NATS KV tier. */
  l2Hits: number;
  /** Calls of the loader (the database or the peer service): what the cache saves. */
  loads: number;
  /** L1 entries pushed out because the cache was full. */
  evictions: number;
  /** Entries removed by `invalidate` (write path or a domain event). */
  invalidations: number;
  /** L2 reads or writes that failed or timed out (NATS down → L1 only). */
  l2Errors: number;
}

export type CacheEvent = keyof CacheStats;

/** The descriptions of `switchyard.cache.<event>{cache.name}`, one counter per event. */
const counterDefinitions: Record<CacheEvent, { name: string; description: string }> = {
  hits: {
    name: "switchyard.cache.hits",
    description: "Reads answered by a fresh in-process (L1) entry",
  },
  misses: {
    name: "switchyard.cache.misses",
    description: "Reads the in-process (L1) tier could not answer",
  },
  stale: {
    name: "switchyard.cache.stale",
    description: "Reads answered by a stale L1 entry while it reloads (stale-while-revalidate)",
  },
  l2Hits: {
    name: "switchyard.cache.l2.hits",
    description: "L1 misses answered by the shared NATS KV tier (L2)",
  },
  loads: {
    name: "switchyard.cache.loads",
    description: "Loads from the source of truth (database or peer service)",
  },
  evictions: {
    name: "switchyard.cache.evictions",
    description: "L1 entries evicted because the cache was full",
  },
  invalidations: {
    name: "switchyard.cache.invalidations",
    description: "Entries invalidated by a write or a domain event",
  },
  l2Errors: {
    name: "switchyard.cache.l2.errors",
    description: "Failed or timed-out reads and writes of the NATS KV tier",
  },
};

type Counters = Record<CacheEvent, Counter>;
const countersByProvider = new WeakMap<MeterProvider, Counters>();

/**
 * The counters of the process's CURRENT global MeterProvider. Looked up per count, not once at
 * import: a deployable imports this module (through its declaration) before its host registers
 * the provider, and instruments made from the no-op provider stay no-ops forever — the counters
 * would never reach `/metrics`.
 */
function countersOf(provider: MeterProvider): Counters {
  let counters = countersByProvider.get(provider);
  if (counters === undefined) {
    const meter = provider.getMeter("@switchyard/cache");
    counters = Object.fromEntries(
      Object.entries(counterDefinitions).map(([event, { name, description }]) => [
        event,
        meter.createCounter(name, { description }),
      ]),
    ) as Counters;
    countersByProvider.set(provider, counters);
  }
  return counters;
}

/** Counts into `stats()` and into the OpenTelemetry counters at once. */
export class CacheCounters {
  private readonly values: CacheStats = {
    hits: 0,
    misses: 0,
    stale: 0,
    l2Hits: 0,
    loads: 0,
    evictions: 0,
    invalidations: 0,
    l2Errors: 0,
  };
  private readonly attributes: { "cache.name": string };

  constructor(cacheName: string) {
    this.attributes = { "cache.name": cacheName };
  }

  count(event: CacheEvent, by = 1): void {
    this.values[event] += by;
    countersOf(metrics.getMeterProvider())[event].add(by, this.attributes);
  }

  snapshot(): CacheStats {
    return { ...this.values };
  }
}
