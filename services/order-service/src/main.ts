import { fileURLToPath } from "node:url";
import { loadConfigOrExit, redactConfig } from "@switchyard/config";
import { UserServiceClient } from "@switchyard/contracts/grpc/switchyard/user/v1/user_service";
import { applyMigrations, connectDatabase } from "@switchyard/database";
import { createGrpcClient } from "@switchyard/grpc-kit";
import { createShutdown, HealthRegistry } from "@switchyard/lifecycle";
import { createLogger } from "@switchyard/logging";
import { topologyFromConfig } from "@switchyard/topology";
import { createUserServiceCustomerDirectory } from "./adapters/user-service-customer-directory.js";
import { orderServiceConfigShape } from "./config.js";
import { createOrderServiceGrpcServer } from "./grpc/order-service-server.js";

const migrationsFolder = fileURLToPath(new URL("../drizzle", import.meta.url));

const config = loadConfigOrExit(orderServiceConfigShape);
const logger = createLogger({ service: "order-service", level: config.LOG_LEVEL });

const database = connectDatabase({ url: config.DATABASE_URL });
await applyMigrations(database, { migrationsFolder, service: "order_service" });

const topology = topologyFromConfig(config);
const userServiceClient = createGrpcClient(UserServiceClient, { target: topology["user-service"] });
const customers = createUserServiceCustomerDirectory({
  client: userServiceClient,
  deadlineMs: config.CUSTOMER_LOOKUP_DEADLINE_MS,
});

// Readiness is the database only: user-service being down degrades PlaceOrder (UNAVAILABLE)
// but reads and status changes still work, so the pod must stay in rotation.
const health = new HealthRegistry();
health.addReadinessCheck("database", () => database.ping());

const grpcServer = createOrderServiceGrpcServer({
  logger,
  health,
  db: database.db,
  customers,
  idempotencyTtlMs: config.IDEMPOTENCY_TTL_HOURS * 60 * 60 * 1000,
});
const port = await grpcServer.listen(`${config.GRPC_HOST}:${config.GRPC_PORT}`);
logger.info(
  { port, topology, config: redactConfig(orderServiceConfigShape, config) },
  "order-service listening",
);

// Drain gRPC before closing what handlers use: in-flight calls still need the client and pool.
const shutdown = createShutdown({ logger, deadlineMs: config.SHUTDOWN_GRACE_MS + 5_000 });
shutdown.addStep("mark shutting down", () => health.markShuttingDown());
shutdown.addStep("drain gRPC", () => grpcServer.shutdown(config.SHUTDOWN_GRACE_MS));
shutdown.addStep("close user-service client", () => userServiceClient.close());
shutdown.addStep("close database", () => database.close());
shutdown.listen();
