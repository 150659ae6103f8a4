import { fileURLToPath } from "node:url";
import { jetstream, jetstreamManager } from "@nats-io/jetstream";
import { createAuthorizationInterceptor } from "@switchyard/access-policy";
import { loadConfigOrExit, redactConfig } from "@switchyard/config";
import { UserServiceClient } from "@switchyard/contracts/grpc/switchyard/user/v1/user_service";
import { applyMigrations, connectDatabase } from "@switchyard/database";
import {
  connectNats,
  ensureStream,
  natsReadinessCheck,
  orderEventsStream,
} from "@switchyard/events";
import { createGrpcClient } from "@switchyard/grpc-kit";
import { createShutdown, HealthRegistry } from "@switchyard/lifecycle";
import { createLogger } from "@switchyard/logging";
import { startOutboxRelay } from "@switchyard/outbox";
import { topologyFromConfig } from "@switchyard/topology";
import { createWorkloadIdentityOrExit } from "@switchyard/workload-identity";
import { createUserServiceCustomerDirectory } from "./adapters/user-service-customer-directory.js";
import { orderServiceConfigShape } from "./config.js";
import { startProjectionConsumers } from "./consumers/projection-consumers.js";
import { createOrderServiceGrpcServer } from "./grpc/order-service-server.js";
import { orderServiceProjections } from "./projections/order-service-projections.js";
import { createProjectedCustomerDirectory } from "./projections/projected-customer-directory.js";

const migrationsFolder = fileURLToPath(new URL("../drizzle", import.meta.url));

const config = loadConfigOrExit(orderServiceConfigShape);
const logger = createLogger({ service: "order-service", level: config.LOG_LEVEL });
const identity = createWorkloadIdentityOrExit(config, { workload: "order-service", logger });

const database = connectDatabase({ url: config.DATABASE_URL });
await applyMigrations(database, { migrationsFolder, service: "order_service" });

const nats = await connectNats({ url: config.NATS_URL, name: "order-service" });
const eventsNamespace = { prefix: config.EVENTS_NAMESPACE };
await ensureStream(await jetstreamManager(nats), orderEventsStream, eventsNamespace);
const outboxRelay = await startOutboxRelay({
  mode: config.OUTBOX_RELAY_MODE,
  sql: database.sql,
  databaseUrl: config.DATABASE_URL,
  nats,
  namespace: eventsNamespace,
  service: "order-service",
  logger,
});

const topology = topologyFromConfig(config);
const userServiceClient = createGrpcClient(UserServiceClient, {
  target: topology["user-service"],
  ...identity.clientTransport("user-service"),
});
// The ACL: the event-fed customers projection, asking user-service only about customers whose
// registration event has not been consumed yet.
const customers = createProjectedCustomerDirectory({
  db: database.db,
  fallback: createUserServiceCustomerDirectory({
    client: userServiceClient,
    deadlineMs: config.CUSTOMER_LOOKUP_DEADLINE_MS,
  }),
});
const projectionConsumers = await startProjectionConsumers({
  js: jetstream(nats),
  jsm: await jetstreamManager(nats),
  db: database.db,
  namespace: eventsNamespace,
  projections: orderServiceProjections,
  logger,
});

// Readiness is the database only: user-service being down degrades PlaceOrder (UNAVAILABLE)
// but reads and status changes still work, so the pod must stay in rotation.
const health = new HealthRegistry();
health.addReadinessCheck("database", () => database.ping());
// NATS only after a grace: writes still commit during a short broker outage (the outbox holds
// the events), so replicas should not all leave rotation for it.
health.addReadinessCheck("nats", natsReadinessCheck(nats));

const grpcServer = createOrderServiceGrpcServer({
  logger,
  health,
  interceptors: [
    createAuthorizationInterceptor({
      server: "order-service",
      identifyCaller: identity.callerOf,
      logger,
    }),
  ],
  db: database.db,
  customers,
  idempotencyTtlMs: config.IDEMPOTENCY_TTL_HOURS * 60 * 60 * 1000,
});
const port = await grpcServer.listen(
  `${config.GRPC_HOST}:${config.GRPC_PORT}`,
  identity.serverCredentials(),
);
logger.info(
  {
    port,
    topology,
    outboxRelay: outboxRelay.mode,
    config: redactConfig(orderServiceConfigShape, config),
  },
  "order-service listening",
);

// Drain gRPC before closing what handlers use: in-flight calls still need the client and pool.
const shutdown = createShutdown({ logger, deadlineMs: config.SHUTDOWN_GRACE_MS + 10_000 });
shutdown.addStep("mark shutting down", () => health.markShuttingDown());
shutdown.addStep("drain gRPC", () => grpcServer.shutdown(config.SHUTDOWN_GRACE_MS));
shutdown.addStep("close user-service client", () => userServiceClient.close());
// The relay's last batch is marked before NATS drains; the pool closes after both.
shutdown.addStep("stop event consumers", () => projectionConsumers.stop());
shutdown.addStep("stop outbox relay", () => outboxRelay.stop());
shutdown.addStep("drain NATS", () => nats.drain());
shutdown.addStep("stop watching TLS files", () => identity.close());
shutdown.addStep("close database", () => database.close());
shutdown.listen();
