import { connectHostConfigShape, portSetting } from "@switchyard/connect-host";
import { z } from "zod";
import { edgeCacheConfigShape } from "./edge-cache/edge-cache-config.js";
import { rateLimitConfigShape } from "./rate-limits/rate-limit-config.js";

const httpDate = z
  .string()
  .refine(
    (value) =>
      /^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/.test(value) &&
      !Number.isNaN(Date.parse(value)),
    "must be an HTTP date (RFC 9110 IMF-fixdate), e.g. Fri, 28 May 2027 00:00:00 GMT",
  );

/** Everything the gateway reads from its environment: the host's keys plus its own. */
export const gatewayConfigShape = {
  ...connectHostConfigShape,
  GATEWAY_HOST: z.string().min(1).default("127.0.0.1"),
  /** 0 asks the OS for a free port (tests). */
  GATEWAY_PORT: portSetting.default(8080),
  /** When v1 was deprecated (RFC 9745 `Deprecation` header on every v1 response). */
  V1_DEPRECATED_AT: httpDate.default("Sun, 01 Nov 2026 00:00:00 GMT"),
  /** When v1 stops answering (RFC 8594 `Sunset` header on every v1 response). */
  V1_SUNSET: httpDate.default("Sat, 01 May 2027 00:00:00 GMT"),
  /** RATE_LIMITS, RATE_LIMIT_SIGNUP/READS/WRITES, DAILY_QUOTA, QUOTA_* */
  ...rateLimitConfigShape,
  /** CACHE (on), CACHE_L2, CACHE_L1_*, CACHE_L2_*, NATS_URL, EVENTS_NAMESPACE: the edge tier */
  ...edgeCacheConfigShape,
};

export type GatewayConfig = z.infer<z.ZodObject<typeof gatewayConfigShape>>;
