import { fileURLToPath } from "node:url";
import { loadConfigOrExit, redactConfig } from "@switchyard/config";
import { applyMigrations, connectDatabase } from "@switchyard/database";
import { createShutdown, HealthRegistry } from "@switchyard/lifecycle";
import { createLogger } from "@switchyard/logging";
import { userServiceConfigShape } from "./config.js";
import { systemClock } from "./domain/clock.js";
import { createUserServiceGrpcServer } from "./user-service-server.js";

const migrationsFolder = fileURLToPath(new URL("../drizzle", import.meta.url));

const config = loadConfigOrExit(userServiceConfigShape);
const logger = createLogger({ service: "user-service", level: config.LOG_LEVEL });

const database = connectDatabase({ url: config.DATABASE_URL });
await applyMigrations(database, { migrationsFolder, service: "user_service" });

const health = new HealthRegistry();
health.addReadinessCheck("database", () => database.ping());

const grpcServer = createUserServiceGrpcServer({
  logger,
  health,
  db: database.db,
  clock: systemClock,
  idempotencyTtlMs: config.IDEMPOTENCY_TTL_HOURS * 60 * 60 * 1000,
});
const port = await grpcServer.listen(`${config.GRPC_HOST}:${config.GRPC_PORT}`);
logger.info(
  { port, config: redactConfig(userServiceConfigShape, config) },
  "user-service listening",
);

// Drain gRPC before closing the pool: in-flight calls still need their connections.
const shutdown = createShutdown({ logger, deadlineMs: config.SHUTDOWN_GRACE_MS + 5_000 });
shutdown.addStep("mark shutting down", () => health.markShuttingDown());
shutdown.addStep("drain gRPC", () => grpcServer.shutdown(config.SHUTDOWN_GRACE_MS));
shutdown.addStep("close database", () => database.close());
shutdown.listen();
