import { cacheConfigShape } from "@switchyard/cache";
import { connectHostConfigShape, portSetting } from "@switchyard/connect-host";
import { eventsConfigShape } from "@switchyard/events";
import { z } from "zod";

/** Everything web-bff reads from its environment: the host's keys plus its own. */
export const webBffConfigShape = {
  ...connectHostConfigShape,
  WEB_BFF_HOST: z.string().min(1).default("127.0.0.1"),
  /** 0 asks the OS for a free port (tests). */
  WEB_BFF_PORT: portSetting.default(8081),
  /** Screen requests are a handful of ids: anything near this size is not a real client. */
  MAX_BODY_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(64 * 1024),
  /**
   * The whole time a screen call may spend waiting on backends. Sections still missing when it
   * runs out are sent as degraded: the page arrives on time, incomplete, rather than late.
   */
  DASHBOARD_BUDGET_MS: z.coerce.number().int().min(1).max(60_000).default(800),
  /** How many orders the dashboard lists. */
  RECENT_ORDERS: z.coerce.number().int().min(1).max(100).default(5),
  /**
   * The profile section's cache (src/profile-cache.ts): CACHE, CACHE_L1_* as every cache. The
   * shared NATS KV tier is off by default here: an L2 read costs a round trip like the GetUser
   * it would save (user-service has its own cache).
   */
  ...cacheConfigShape,
  CACHE_L2: z.enum(["on", "off"]).default("off"),
  /**
   * The events keys every NATS client reads (EVENTS_STREAM_REPLICAS too, though web-bff creates
   * no stream: it only subscribes to user events). NATS_URL is optional here: where user events
   * come from, to invalidate cached profiles on every replica; unset, the profile cache runs L1
   * only with PROFILE_CACHE_TTL_WITHOUT_NATS_MS.
   */
  ...eventsConfigShape,
  NATS_URL: eventsConfigShape.NATS_URL.optional(),
  /** Without NATS, the longest a cached profile is served (its staleness bound): no stale window. */
  PROFILE_CACHE_TTL_WITHOUT_NATS_MS: z.coerce.number().int().positive().default(1_000),
};

export type WebBffConfig = z.infer<z.ZodObject<typeof webBffConfigShape>>;
