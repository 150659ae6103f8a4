import { z } from "zod";

/** "<quota>/<window seconds>", e.g. "300/60": 300 requests per minute, all of them at once at most. */
const rate = z
  .string()
  .regex(/^\d+\/\d+$/, 'must be "<quota>/<window seconds>", e.g. "300/60"')
  .transform((value) => {
    const [quota, windowSeconds] = value.split("/").map(Number) as [number, number];
    return { quota, windowSeconds };
  })
  .refine((r) => r.quota > 0 && r.windowSeconds > 0, "quota and window must be at least 1");

/**
 * The gateway's rate limits (GCRA per client key and route class) and the daily quota per end
 * user shared by every replica through NATS KV. Documented in gateway/README.md and
 * docs/patterns/16-rate-limits-quotas-shaping.md.
 */
export const rateLimitConfigShape = {
  /** "on": every response carries RateLimit-Policy / RateLimit and over-limit calls get 429. */
  RATE_LIMITS: z.enum(["on", "off"]).default("off"),
  /** Signup (RegisterUser, no token): per client address. */
  RATE_LIMIT_SIGNUP: rate.prefault("10/60"),
  /** Get… and List… methods (and the web app's reads): per end user. */
  RATE_LIMIT_READS: rate.prefault("300/60"),
  /** Every other method (changes): per end user. */
  RATE_LIMIT_WRITES: rate.prefault("60/60"),
  /** Calls per end user per UTC day across all replicas; 0 = no daily quota (no NATS needed). */
  DAILY_QUOTA: z.coerce.number().int().min(0).default(0),
  /** NATS with JetStream holding the quota bucket (required when DAILY_QUOTA > 0). */
  QUOTA_NATS_URL: z
    .string()
    .regex(/^(nats|tls):\/\/\S+$/, "must be a nats:// URL (comma-separate several)")
    .optional(),
  QUOTA_BUCKET: z
    .string()
    .regex(/^[A-Za-z0-9_-]+$/, "letters, digits, _ and - only")
    .default("gateway-daily-quota"),
  /** Units a replica reserves from KV at once and spends locally (the slack per replica, −1). */
  QUOTA_BLOCK_SIZE: z.coerce.number().int().min(1).default(10),
  /** NATS unreachable: "open" = serve with the local rate limits only, "closed" = 503. */
  QUOTA_STORE_UNAVAILABLE: z.enum(["open", "closed"]).default("open"),
  /** Longest wait for a KV answer before the store counts as unreachable. */
  QUOTA_STORE_TIMEOUT_MS: z.coerce.number().int().positive().default(500),
} satisfies z.ZodRawShape;

export type RateLimitConfig = z.infer<z.ZodObject<typeof rateLimitConfigShape>>;
