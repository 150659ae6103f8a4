export {
  AdaptiveConcurrencyLimit,
  type AdaptiveConcurrencyOptions,
  type ConcurrencyLease,
  type ConcurrencySnapshot,
} from "./adaptive-concurrency-limit.js";
export { type Clock, systemClock } from "./clock.js";
export { GcraLimiter, type RateDecision, type RatePolicy } from "./gcra.js";
export {
  type NatsQuotaStoreOptions,
  natsQuotaStore,
  type QuotaStore,
  QuotaStoreUnavailable,
} from "./quota-store.js";
export { type RateLimitItem, rateLimitHeaders } from "./ratelimit-headers.js";
export {
  type DailyQuotaDecision,
  type DailyQuotaOptions,
  SharedDailyQuota,
} from "./shared-daily-quota.js";
export { utcDay } from "./utc-day.js";
