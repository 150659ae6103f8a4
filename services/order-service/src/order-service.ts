import { fileURLToPath } from "node:url";
import { jetstream, jetstreamManager } from "@nats-io/jetstream";
import { OrderServiceService } from "@switchyard/contracts/grpc/switchyard/order/v1/order_service";
import { UserServiceClient } from "@switchyard/contracts/grpc/switchyard/user/v1/user_service";
import { orderEventsStream } from "@switchyard/events";
import { bindService, defineGrpcService, type GrpcServiceContext } from "@switchyard/service-host";
import { customerCacheOf } from "./caching/customer-cache.js";
import { type OrderServiceConfig, orderServiceConfigShape } from "./config.js";
import { startProjectionConsumers } from "./events/projection-consumers.js";
import { createOrderServiceHandlers } from "./grpc/order-service-handlers.js";
import { createUserServiceCustomerDirectory } from "./grpc/user-service-customer-directory.js";
import { orderServiceProjections } from "./projections/order-service-projections.js";
import { createProjectedCustomerDirectory } from "./projections/projected-customer-directory.js";

/** The committed drizzle migrations of the orders database. */
export const migrationsFolder = fileURLToPath(new URL("../drizzle", import.meta.url));

/** Name of the projection consumers in `RunningGrpcService.background`. */
export const projectionConsumersName = "projection consumers";

/** Name of the customers cache's event subscription in `RunningGrpcService.background`. */
export const customerCacheInvalidationName = "customers cache invalidation";

/**
 * The ACL PlaceOrder asks, behind the customers cache: the event-fed customers projection,
 * asking user-service only about customers whose registration event has not been consumed yet.
 */
function customersOf(context: GrpcServiceContext<OrderServiceConfig>) {
  return customerCacheOf(context, () =>
    createProjectedCustomerDirectory({
      db: context.database.db,
      fallback: createUserServiceCustomerDirectory({
        client: context.client(UserServiceClient, "user-service"),
        deadlineMs: context.config.CUSTOMER_LOOKUP_DEADLINE_MS,
      }),
    }),
  );
}

/**
 * order-service, declared: its own database, the order events it produces through the outbox,
 * the projections fed by user and order events, idempotent PlaceOrder, and OrderService asking
 * user-service about customers the projection has not seen yet. Everything else is the host's
 * (`@switchyard/service-host`): production, tests, the devstack and benchmarks start THIS.
 * Customer lookups go through a cache (L1 + NATS KV) kept in step by user events on every
 * replica (CACHE=off bypasses it). Readiness is the database and NATS (the host's checks), not user-service: with user-service
 * down only PlaceOrder degrades (UNAVAILABLE); reads and status changes still work.
 */
export const orderService = defineGrpcService({
  name: "order-service",
  config: orderServiceConfigShape,
  database: { migrationsFolder, migrationsName: "order_service" },
  events: { produces: orderEventsStream },
  idempotency: true,
  clients: ["user-service"],
  background: async (context) => ({
    [projectionConsumersName]: await startProjectionConsumers({
      js: jetstream(context.nats),
      jsm: await jetstreamManager(context.nats),
      db: context.database.db,
      namespace: context.eventsNamespace,
      projections: orderServiceProjections,
      logger: context.logger,
      ...(context.streamReplicas === undefined ? {} : { streamReplicas: context.streamReplicas }),
    }),
    [customerCacheInvalidationName]: customersOf(context).invalidation,
  }),
  grpc: (context) => [
    bindService(
      OrderServiceService,
      createOrderServiceHandlers({
        db: context.database.db,
        customers: customersOf(context).directory,
        idempotencyTtlMs: context.idempotencyTtlMs,
      }),
    ),
  ],
});
