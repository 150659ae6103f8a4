import { cacheConfigShape } from "@switchyard/cache";
import { eventsConfigShape } from "@switchyard/events";
import { z } from "zod";

/**
 * The edge tier's config: the services' cache keys (`CACHE`, `CACHE_L2`, `CACHE_L1_*`,
 * `CACHE_L2_*`; on by default, `CACHE=off` switches it off) plus where the user events and the
 * shared tier are: NATS. Without `NATS_URL` the edge tier stays off (it would have no
 * invalidation), whatever `CACHE` says; the daily quota uses the same NATS unless
 * `QUOTA_NATS_URL` names another.
 */
export const edgeCacheConfigShape = {
  ...cacheConfigShape,
  /**
   * The events keys every NATS client reads (EVENTS_STREAM_REPLICAS too, though the gateway
   * creates no stream: it only subscribes to user and order events). NATS_URL is optional here:
   * the services' NATS, where those events are; unset, the edge tier is off.
   */
  ...eventsConfigShape,
  NATS_URL: eventsConfigShape.NATS_URL.optional(),
  /**
   * How long a dashboard stays at the edge when no event drops it sooner (0: dashboards are
   * not cached). It bounds how far the order statistics may lag beyond the read model's own
   * lag; everything else on the page is dropped by its events.
   */
  DASHBOARD_CACHE_TTL_MS: z.coerce.number().int().min(0).default(1_000),
  /**
   * A dashboard is built from sources that hear of a change a little after the gateway does
   * (web-bff's profile cache, order-service's statistics read model): every drop is repeated
   * this much later, so a dashboard reloaded before they caught up is not kept for the TTL.
   */
  DASHBOARD_CACHE_SETTLE_MS: z.coerce.number().int().min(0).default(250),
} satisfies z.ZodRawShape;

export type EdgeCacheConfig = z.infer<z.ZodObject<typeof edgeCacheConfigShape>>;
