import { cacheConfigShape } from "@switchyard/cache";
import { eventsConfigShape } from "@switchyard/events";
import { outboxConfigShape } from "@switchyard/outbox";
import {
  databaseConfigShape,
  grpcServiceConfigShape,
  idempotencyConfigShape,
} from "@switchyard/service-host";
import type { z } from "zod";

/** Everything user-service reads from its environment, parsed once by the host at start. */
export const userServiceConfigShape = {
  /** GRPC_HOST, GRPC_PORT, LOG_LEVEL, SHUTDOWN_GRACE_MS, MESH_MODE, TLS_*: the host's keys. */
  ...grpcServiceConfigShape({ defaultPort: 50051 }),
  ...databaseConfigShape,
  /** IDEMPOTENCY_TTL_HOURS: how long a RegisterUser key is remembered; purge interval. */
  ...idempotencyConfigShape,
  /** NATS_URL (required), EVENTS_NAMESPACE: where user events go. */
  ...eventsConfigShape,
  ...outboxConfigShape,
  /**
   * GetUser's cache: CACHE (on|off), CACHE_L2 (on|off), CACHE_L1_MAX_ENTRIES, CACHE_L1_TTL_MS,
   * CACHE_L1_STALE_MS, CACHE_NEGATIVE_TTL_MS, CACHE_L2_TTL_MS, CACHE_L2_TIMEOUT_MS.
   */
  ...cacheConfigShape,
};

export type UserServiceConfig = z.infer<z.ZodObject<typeof userServiceConfigShape>>;
