import { fileURLToPath } from "node:url";
import { jetstreamManager } from "@nats-io/jetstream";
import { createAuthorizationInterceptor } from "@switchyard/access-policy";
import { loadConfigOrExit, redactConfig } from "@switchyard/config";
import { applyMigrations, connectDatabase } from "@switchyard/database";
import {
  connectNats,
  ensureStream,
  natsReadinessCheck,
  userEventsStream,
} from "@switchyard/events";
import { createShutdown, HealthRegistry } from "@switchyard/lifecycle";
import { createLogger } from "@switchyard/logging";
import { startOutboxRelay } from "@switchyard/outbox";
import { createWorkloadIdentityOrExit } from "@switchyard/workload-identity";
import { userServiceConfigShape } from "./config.js";
import { systemClock } from "./domain/clock.js";
import { createUserServiceGrpcServer } from "./user-service-server.js";

const migrationsFolder = fileURLToPath(new URL("../drizzle", import.meta.url));

const config = loadConfigOrExit(userServiceConfigShape);
const logger = createLogger({ service: "user-service", level: config.LOG_LEVEL });
const identity = createWorkloadIdentityOrExit(config, { workload: "user-service", logger });

const database = connectDatabase({ url: config.DATABASE_URL });
await applyMigrations(database, { migrationsFolder, service: "user_service" });

const nats = await connectNats({ url: config.NATS_URL, name: "user-service" });
const namespace = { prefix: config.EVENTS_NAMESPACE };
await ensureStream(await jetstreamManager(nats), userEventsStream, namespace);
const relay = await startOutboxRelay({
  mode: config.OUTBOX_RELAY_MODE,
  sql: database.sql,
  databaseUrl: config.DATABASE_URL,
  nats,
  namespace,
  service: "user-service",
  logger,
});

// NATS counts for readiness only after a grace: writes still commit during a short broker
// outage (the outbox holds the events), so replicas should not all leave rotation for it.
const health = new HealthRegistry();
health.addReadinessCheck("database", () => database.ping());
health.addReadinessCheck("nats", natsReadinessCheck(nats));

const grpcServer = createUserServiceGrpcServer({
  logger,
  health,
  interceptors: [
    createAuthorizationInterceptor({
      server: "user-service",
      identifyCaller: identity.callerOf,
      logger,
    }),
  ],
  db: database.db,
  clock: systemClock,
  idempotencyTtlMs: config.IDEMPOTENCY_TTL_HOURS * 60 * 60 * 1000,
});
const port = await grpcServer.listen(
  `${config.GRPC_HOST}:${config.GRPC_PORT}`,
  identity.serverCredentials(),
);
logger.info(
  { port, outboxRelay: relay.mode, config: redactConfig(userServiceConfigShape, config) },
  "user-service listening",
);

// Drain gRPC first (in-flight calls still write), then stop the relay (its batch finishes and
// is marked), then drain NATS (flushes PubAcks), and close the pool last: all three use it.
const shutdown = createShutdown({ logger, deadlineMs: config.SHUTDOWN_GRACE_MS + 10_000 });
shutdown.addStep("mark shutting down", () => health.markShuttingDown());
shutdown.addStep("drain gRPC", () => grpcServer.shutdown(config.SHUTDOWN_GRACE_MS));
shutdown.addStep("stop watching TLS files", () => identity.close());
shutdown.addStep("stop outbox relay", () => relay.stop());
shutdown.addStep("drain NATS", () => nats.drain());
shutdown.addStep("close database", () => database.close());
shutdown.listen();
