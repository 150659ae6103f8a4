export * from "./cache-config.js";
export * from "./cache-stats.js";
export * from "./event-invalidation.js";
export * from "./nats-kv-tier.js";
export * from "./service-cache.js";
export * from "./tiered-cache.js";
