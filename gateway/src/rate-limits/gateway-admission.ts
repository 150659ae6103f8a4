import type { DescMethod } from "@bufbuild/protobuf";
import { Code } from "@connectrpc/connect";
import { ConfigError } from "@switchyard/config";
import type { Admission, AdmissionDecision } from "@switchyard/connect-host";
import type { Logger } from "@switchyard/logging";
import { rateLimitDecisions } from "@switchyard/metrics";
import {
  type Clock,
  GcraLimiter,
  natsQuotaStore,
  type RateLimitItem,
  rateLimitHeaders,
  SharedDailyQuota,
  systemClock,
} from "@switchyard/rate-limit";
import type { RateLimitConfig } from "./rate-limit-config.js";
import { type RouteClass, routeClassifier } from "./route-classes.js";

const day = 86_400;

/**
 * The gateway's admission control: a GCRA limiter per route class (keyed by end user, or by
 * client address for signup), then — for end users — the daily quota shared through NATS KV.
 * RATE_LIMITS=off → undefined (the step is left out of the chain).
 */
export function gatewayAdmission(
  config: RateLimitConfig,
  options: { publicMethods: readonly DescMethod[]; logger: Logger; clock?: Clock },
): Admission | undefined {
  if (config.RATE_LIMITS === "off") return undefined;
  const clock = options.clock ?? systemClock;
  const classify = routeClassifier(options.publicMethods);
  const limiters: Record<RouteClass, GcraLimiter> = {
    signup: new GcraLimiter({ name: "signup", ...config.RATE_LIMIT_SIGNUP }, clock),
    reads: new GcraLimiter({ name: "reads", ...config.RATE_LIMIT_READS }, clock),
    writes: new GcraLimiter({ name: "writes", ...config.RATE_LIMIT_WRITES }, clock),
  };
  const quota = dailyQuota(config, clock);
  const { logger } = options;
  // switchyard.rate_limit.decisions{policy, outcome}: accepted/limited per policy checked.
  const decided = rateLimitDecisions();

  return {
    async admit({ method, endUser, clientAddress }): Promise<AdmissionDecision> {
      const rate = limiters[classify(method)].take(endUser?.subject ?? `addr:${clientAddress}`);
      const items: RateLimitItem[] = [
        {
          name: rate.policy.name,
          quota: rate.policy.quota,
          windowSeconds: rate.policy.windowSeconds,
          remaining: rate.remaining,
          resetSeconds: rate.resetSeconds,
        },
      ];
      decided(rate.policy.name, rate.allowed ? "accepted" : "limited");
      if (!rate.allowed) {
        return refused(items, rate.retryAfterSeconds, `rate limit "${rate.policy.name}" exceeded`);
      }
      if (quota === undefined || endUser === undefined) return admitted(items);

      const daily = await quota.take(endUser.subject);
      if (daily.outcome === "store-unavailable") {
        logger.warn({ err: daily.error }, "daily quota store unreachable");
        if (!daily.failOpen) {
          return {
            admitted: false,
            code: Code.Unavailable,
            message: "service unavailable",
            headers: rateLimitHeaders(items),
          };
        }
        return admitted(items);
      }
      items.push({
        name: "daily",
        quota: quota.quota,
        windowSeconds: day,
        remaining: daily.remaining,
        resetSeconds: daily.resetSeconds,
      });
      decided("daily", daily.outcome === "exhausted" ? "limited" : "accepted");
      if (daily.outcome === "exhausted") {
        return refused(items, daily.resetSeconds, "daily quota exhausted");
      }
      return admitted(items);
    },
    close: () => quota?.close(),
  };
}

function admitted(items: RateLimitItem[]): AdmissionDecision {
  return { admitted: true, headers: rateLimitHeaders(items) };
}

function refused(items: RateLimitItem[], retryAfterSeconds: number, message: string) {
  return {
    admitted: false,
    code: Code.ResourceExhausted,
    message,
    headers: { ...rateLimitHeaders(items), "Retry-After": String(retryAfterSeconds) },
  } satisfies AdmissionDecision;
}

function dailyQuota(config: RateLimitConfig, clock: Clock) {
  if (config.DAILY_QUOTA === 0) return undefined;
  if (config.QUOTA_NATS_URL === undefined) {
    throw new ConfigError([
      {
        key: "QUOTA_NATS_URL",
        variable: "QUOTA_NATS_URL",
        problem:
          "required when DAILY_QUOTA is set (the quota is shared through NATS KV): set NATS_URL, or QUOTA_NATS_URL for a NATS of its own",
      },
    ]);
  }
  const store = natsQuotaStore({
    url: config.QUOTA_NATS_URL,
    bucket: config.QUOTA_BUCKET,
    timeoutMs: config.QUOTA_STORE_TIMEOUT_MS,
    name: "gateway daily quota",
  });
  const quota = new SharedDailyQuota({
    quota: config.DAILY_QUOTA,
    blockSize: config.QUOTA_BLOCK_SIZE,
    onStoreUnavailable: config.QUOTA_STORE_UNAVAILABLE,
    store,
    clock,
  });
  return Object.assign(quota, { close: () => store.close() });
}
