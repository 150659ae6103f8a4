import { z } from "zod";

const onOff = z.enum(["on", "off"]);
const ms = z.coerce.number().int();

/**
 * The config keys of a service that caches (spread into its config shape). `CACHE=off`
 * bypasses every tier: each read goes to the source, as before caching existed (benchmarks
 * compare both in one run). Defaults keep the staleness bound small (see `stalenessBoundMs`).
 */
export const cacheConfigShape = {
  /** on: L1 (in process) and, where the service has NATS, L2 (NATS KV). off: no caching at all. */
  CACHE: onOff.default("on"),
  /** off: L1 only, nothing read from or written to the shared NATS KV tier. */
  CACHE_L2: onOff.default("on"),
  /** Most entries one process keeps; the least recently used go first. */
  CACHE_L1_MAX_ENTRIES: ms.positive().default(10_000),
  /** How long an L1 entry is fresh (served without asking anyone). */
  CACHE_L1_TTL_MS: ms.positive().default(10_000),
  /** After that, how long it may still be served while one background reload runs (SWR). */
  CACHE_L1_STALE_MS: ms.min(0).default(10_000),
  /** How long "not found" is remembered (L1 only: the L2 bucket has one TTL for every key). */
  CACHE_NEGATIVE_TTL_MS: ms.positive().default(2_000),
  /** Max age of every key of the L2 bucket (Debian's nats-server 2.9 has no per-key TTL). */
  CACHE_L2_TTL_MS: ms.positive().default(60_000),
  /** Longest wait for one L2 answer; past it the read counts as an L2 miss. */
  CACHE_L2_TIMEOUT_MS: ms.positive().default(250),
} satisfies z.ZodRawShape;

export type CacheConfig = z.infer<z.ZodObject<typeof cacheConfigShape>>;

/** The tiers' settings, as `createTieredCache` takes them. */
export interface CacheSettings {
  enabled: boolean;
  l2Enabled: boolean;
  maxEntries: number;
  ttlMs: number;
  staleMs: number;
  negativeTtlMs: number;
  l2TtlMs: number;
  l2TimeoutMs: number;
}

export function cacheSettingsFromConfig(config: CacheConfig): CacheSettings {
  return {
    enabled: config.CACHE === "on",
    l2Enabled: config.CACHE_L2 === "on",
    maxEntries: config.CACHE_L1_MAX_ENTRIES,
    ttlMs: config.CACHE_L1_TTL_MS,
    staleMs: config.CACHE_L1_STALE_MS,
    negativeTtlMs: config.CACHE_NEGATIVE_TTL_MS,
    l2TtlMs: config.CACHE_L2_TTL_MS,
    l2TimeoutMs: config.CACHE_L2_TIMEOUT_MS,
  };
}

/** The defaults of `cacheConfigShape`, as settings (tests override a few). */
export const defaultCacheSettings: CacheSettings = cacheSettingsFromConfig(
  z.object(cacheConfigShape).parse({}),
);

/**
 * The longest a replica can serve a value after the change that replaced it, when EVERY
 * invalidation for it was lost (write-path delete failed and the replica missed the event):
 * the value may have sat in L2 for its whole TTL, then in L1 fresh and stale. With
 * invalidation working the bound is the event's delivery time (milliseconds).
 */
export function stalenessBoundMs(settings: CacheSettings): number {
  const l2 = settings.l2Enabled ? settings.l2TtlMs : 0;
  return l2 + settings.ttlMs + settings.staleMs;
}
