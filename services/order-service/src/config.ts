import { cacheConfigShape } from "@switchyard/cache";
import { eventsConfigShape } from "@switchyard/events";
import { outboxConfigShape } from "@switchyard/outbox";
import {
  databaseConfigShape,
  grpcServiceConfigShape,
  idempotencyConfigShape,
} from "@switchyard/service-host";
import { topologyConfigShape } from "@switchyard/topology";
import { z } from "zod";

/** Everything order-service reads from its environment, parsed once by the host at start. */
export const orderServiceConfigShape = {
  /** GRPC_HOST, GRPC_PORT, LOG_LEVEL, SHUTDOWN_GRACE_MS, MESH_MODE, TLS_*: the host's keys. */
  ...grpcServiceConfigShape({ defaultPort: 50052 }),
  ...databaseConfigShape,
  /** IDEMPOTENCY_TTL_HOURS: how long a PlaceOrder key is remembered; purge interval. */
  ...idempotencyConfigShape,
  /** Budget for asking user-service about a customer; PlaceOrder fails UNAVAILABLE past it. */
  CUSTOMER_LOOKUP_DEADLINE_MS: z.coerce.number().int().positive().default(1_000),
  /** Where user-service is (USER_SERVICE_TARGET, TOPOLOGY_PROFILE, ...). */
  ...topologyConfigShape,
  /** NATS_URL (required), EVENTS_NAMESPACE: where order events go and user events come from. */
  ...eventsConfigShape,
  ...outboxConfigShape,
  /**
   * The customers cache in front of the ACL: CACHE (on|off), CACHE_L2 (on|off),
   * CACHE_L1_MAX_ENTRIES, CACHE_L1_TTL_MS, CACHE_L1_STALE_MS, CACHE_NEGATIVE_TTL_MS,
   * CACHE_L2_TTL_MS, CACHE_L2_TIMEOUT_MS.
   */
  ...cacheConfigShape,
};

export type OrderServiceConfig = z.infer<z.ZodObject<typeof orderServiceConfigShape>>;
