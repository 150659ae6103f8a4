import type { NatsConnection } from "@nats-io/transport-node";
import type { EventNamespace } from "@switchyard/events";
import { type CacheConfig, cacheSettingsFromConfig } from "./cache-config.js";
import {
  type EventInvalidation,
  type InvalidatingEvent,
  invalidateOnEvents,
} from "./event-invalidation.js";
import { cacheBucketName, natsKvTier } from "./nats-kv-tier.js";
import { createTieredCache, type TieredCache, type ValueCodec } from "./tiered-cache.js";

/** What a service's context gives a cache (the gRPC host's context has all of it). */
export interface ServiceCacheContext {
  readonly config: CacheConfig;
  readonly nats: NatsConnection;
  readonly eventsNamespace: EventNamespace;
  readonly logger: {
    debug(fields: object, message: string): void;
    warn(fields: object, message: string): void;
  };
}

/** One cache of a service: which values, where they come from, which events outdate them. */
export interface ServiceCacheOptions<V> {
  /** Metric attribute `cache.name` and, with the namespace, the L2 bucket's name. */
  name: string;
  /** What the cache holds, for log lines ("users", "customers"). */
  label: string;
  /**
   * Reads one value from its source (undefined: there is none); `context` is what the `get`
   * that started the load passed.
   */
  load(key: string, context?: unknown): Promise<V | undefined>;
  versionOf(value: V): bigint;
  codec: ValueCodec<V>;
  /** The domain events that remove a key from both tiers on every replica. */
  events: readonly InvalidatingEvent<unknown>[];
  /**
   * Keys that are invalidated together (see `TieredCacheOptions.groupOf`): then an event's
   * `keyOf` names a GROUP, and the event removes every key of it.
   */
  groupOf?(key: string): string;
}

/**
 * A service's two-tier cache, wired the one way every service wires it: L1 in process, L2 in a
 * NATS KV bucket shared by the replicas (its failures are debug lines: L1 only), and — when
 * caching is on — a subscription that invalidates on `events` on every replica (the service's
 * background work: stop it before NATS drains).
 */
export function createServiceCache<V>(
  context: ServiceCacheContext,
  options: ServiceCacheOptions<V>,
): { cache: TieredCache<V>; invalidation: EventInvalidation } {
  const { logger } = context;
  const settings = cacheSettingsFromConfig(context.config);
  const cache = createTieredCache<V>({
    name: options.name,
    settings,
    load: (key, _signal, loadContext) => options.load(key, loadContext),
    versionOf: options.versionOf,
    ...(options.groupOf === undefined ? {} : { groupOf: options.groupOf }),
    shared: {
      codec: options.codec,
      tier: natsKvTier({
        nats: context.nats,
        bucket: cacheBucketName(options.name, context.eventsNamespace),
        ttlMs: settings.l2TtlMs,
        timeoutMs: settings.l2TimeoutMs,
        onError: (operation, err) =>
          logger.debug({ err, operation }, `${options.label} cache: L2 unavailable, L1 only`),
      }),
    },
  });
  const invalidation = settings.enabled
    ? invalidateOnEvents({
        nats: context.nats,
        namespace: context.eventsNamespace,
        cache,
        events: options.events,
        target: options.groupOf === undefined ? "key" : "group",
        onError: (err, subject) =>
          logger.warn({ err, subject }, `${options.label} cache: undecodable event ignored`),
      })
    : { stop: async () => {} };
  return { cache, invalidation };
}
