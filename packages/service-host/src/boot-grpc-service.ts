import { setTimeout as delay } from "node:timers/promises";
import type * as grpc from "@grpc/grpc-js";
import { jetstreamManager } from "@nats-io/jetstream";
import type { ServiceAccessPolicy } from "@switchyard/access-policy";
import { loadConfig, redactConfig } from "@switchyard/config";
import { applyMigrations, connectDatabase } from "@switchyard/database";
import { connectNats, ensureStream, natsReadinessCheck } from "@switchyard/events";
import { createGrpcServer } from "@switchyard/grpc-kit";
import { startIdempotencyKeyPurge } from "@switchyard/idempotency";
import { HealthRegistry } from "@switchyard/lifecycle";
import { createLogger, type Logger } from "@switchyard/logging";
import {
  grpcServerMetricsInterceptor,
  type HostMetrics,
  startHostMetrics,
} from "@switchyard/metrics";
import {
  defaultRetentionSweepIntervalMs,
  type outboxConfigShape,
  startOutboxRelay,
} from "@switchyard/outbox";
import { startTracing } from "@switchyard/tracing";
import { createWorkloadIdentity } from "@switchyard/workload-identity";
import type { z } from "zod";
import type {
  DatabaseConfig,
  GrpcServiceConfig,
  GrpcServiceConfigShape,
  IdempotencyConfig,
} from "./grpc-service-config.js";
import type {
  BackgroundWork,
  Clock,
  GrpcServiceContext,
  GrpcServiceDeclaration,
} from "./grpc-service-declaration.js";
import { createLoadShedder, type LoadShedder } from "./load-shedding.js";
import { type ContextParts, createServiceContext } from "./service-context.js";
import { orderedShutdownSteps, type ShutdownParts } from "./shutdown-plan.js";
import { standardInterceptors } from "./standard-interceptors.js";

/** How a declaration is started: the environment it reads and what tests may replace. */
export interface BootOptions {
  /** The environment the config schema is read from (production: process.env). */
  env: Record<string, string | undefined>;
  logger?: Logger;
  clock?: Clock;
  /** THE access policy unless given (tests grant a test caller; see `./testing`). */
  policy?: ServiceAccessPolicy;
}

/** A started service: where it listens, what it holds, and its ordered shutdown steps. */
export interface BootedGrpcService<Config> {
  port: number;
  config: Config;
  /** Its grpcServiceConfigShape keys (listen address, grace, log level, identity). */
  hostConfig: GrpcServiceConfig;
  context: GrpcServiceContext<Config>;
  health: HealthRegistry;
  background: Record<string, BackgroundWork>;
  logger: Logger;
  shutdownSteps: Array<{ name: string; run: () => Promise<void> | void }>;
  /** Limit, in-flight calls and rejections of the load shedder; undefined when it is off. */
  loadShedding: LoadShedder | undefined;
  /** Its MeterProvider and admin port (`/metrics`). */
  metrics: HostMetrics;
}

/** The keys of `outboxConfigShape` (mode, retention of published rows, sweep interval). */
type OutboxConfig = z.infer<z.ZodObject<typeof outboxConfigShape>>;

const systemClock: Clock = { now: () => new Date() };

/**
 * Starts a declaration in the host's fixed order — config, logger, identity, database +
 * migrations, NATS + stream + outbox relay, readiness, background work, gRPC server with the
 * standard interceptors — and returns the shutdown steps in THE order. If a step fails, what
 * was already opened is closed (same order) and the error is rethrown; a bad config throws the
 * ConfigError before anything is opened.
 */
export async function bootGrpcService<S extends GrpcServiceConfigShape>(
  declaration: GrpcServiceDeclaration<S>,
  options: BootOptions,
): Promise<BootedGrpcService<z.infer<z.ZodObject<S>>>> {
  type Config = z.infer<z.ZodObject<S>>;
  const config: Config = loadConfig(declaration.config, options.env);
  // The keys of grpcServiceConfigShape, which every declaration's schema spreads in.
  const hostConfig = config as unknown as GrpcServiceConfig;
  // Before anything else, so every span of start-up and of the first call is recorded.
  const tracing = startTracing({ serviceName: declaration.name, env: options.env });
  const logger =
    options.logger ?? createLogger({ service: declaration.name, level: hostConfig.LOG_LEVEL });
  const identity = createWorkloadIdentity(hostConfig, { workload: declaration.name, logger });
  const health = new HealthRegistry();
  const parts: ContextParts = {};
  const clients: grpc.Client[] = [];
  const shutdown: ShutdownParts = {
    stopIdentity: () => identity.close(),
    flushTracing: () => tracing.shutdown(),
  };
  if ((declaration.clients ?? []).length > 0) {
    shutdown.closeClients = () => {
      for (const client of clients) client.close();
    };
  }
  const context = createServiceContext<Config>({
    workload: declaration.name,
    config,
    logger,
    identity,
    health,
    clock: options.clock ?? systemClock,
    parts,
    declaredClients: declaration.clients ?? [],
    clients,
  });
  const shutdownSteps = () => orderedShutdownSteps(shutdown);

  try {
    // First, so the relay, consumers and pool (global meters) record from their first moment.
    const metrics = await startHostMetrics({
      service: declaration.name,
      config: hostConfig,
      env: options.env,
    });
    shutdown.stopMetrics = () => metrics.shutdown();
    parts.meterProvider = metrics.meterProvider;
    let outboxRelayMode: string | undefined;
    if (declaration.database) {
      const { DATABASE_URL, DATABASE_POOL_SIZE } = config as unknown as DatabaseConfig;
      const database = connectDatabase({ url: DATABASE_URL, max: DATABASE_POOL_SIZE });
      shutdown.closeDatabase = () => database.close();
      await applyMigrations(database, {
        migrationsFolder: declaration.database.migrationsFolder,
        service: declaration.database.migrationsName,
      });
      parts.database = database;
      health.addReadinessCheck("database", () => database.ping());
    }
    if (declaration.idempotency) {
      const idempotency = config as unknown as IdempotencyConfig;
      parts.idempotencyTtlMs = idempotency.IDEMPOTENCY_TTL_HOURS * 3_600_000;
      const purge = startIdempotencyKeyPurge({
        db: context.database.db,
        intervalMs: idempotency.RETENTION_SWEEP_INTERVAL_MS ?? defaultRetentionSweepIntervalMs,
        logger,
      });
      shutdown.stopIdempotencyPurge = () => purge.stop();
    }
    if (declaration.events) {
      const { NATS_URL } = config as unknown as { NATS_URL: string };
      const nats = await connectNats({ url: NATS_URL, name: declaration.name });
      shutdown.drainNats = () => nats.drain();
      parts.nats = nats;
      await ensureStream(
        await jetstreamManager(nats),
        declaration.events.produces,
        context.eventsNamespace,
        context.streamReplicas === undefined ? {} : { replicas: context.streamReplicas },
      );
      const outbox = config as unknown as Partial<OutboxConfig>;
      const relay = await startOutboxRelay({
        mode: outbox.OUTBOX_RELAY_MODE ?? "poll",
        sql: context.database.sql,
        databaseUrl: (config as unknown as DatabaseConfig).DATABASE_URL,
        nats,
        namespace: context.eventsNamespace,
        service: declaration.name,
        logger,
        ...(outbox.OUTBOX_PUBLISHED_RETENTION_HOURS === undefined
          ? {}
          : { publishedRetentionMs: outbox.OUTBOX_PUBLISHED_RETENTION_HOURS * 3_600_000 }),
        ...(outbox.RETENTION_SWEEP_INTERVAL_MS === undefined
          ? {}
          : { sweepIntervalMs: outbox.RETENTION_SWEEP_INTERVAL_MS }),
      });
      shutdown.stopOutboxRelay = () => relay.stop();
      outboxRelayMode = relay.mode;
      // NATS counts for readiness only after a grace: writes still commit during a short broker
      // outage (the outbox holds the events), so replicas should not all leave rotation for it.
      health.addReadinessCheck("nats", natsReadinessCheck(nats));
    }
    for (const [name, check] of Object.entries(declaration.readiness?.(context) ?? {})) {
      health.addReadinessCheck(name, check);
    }
    const background: Record<string, BackgroundWork> = {};
    if (declaration.background) {
      shutdown.stopBackground = async () => {
        await Promise.all(Object.values(background).map((work) => work.stop()));
      };
      Object.assign(background, await declaration.background(context));
    }

    const bindings = declaration.grpc(context);
    const shedder =
      hostConfig.LOAD_SHEDDING === "on"
        ? createLoadShedder(hostConfig, logger, metrics.meterProvider)
        : undefined;
    const server = createGrpcServer({
      logger,
      health,
      serviceNames: bindings.map((binding) => serviceNameOf(binding.definition)),
      interceptors: standardInterceptors({
        workload: declaration.name,
        identity,
        logger,
        policy: options.policy,
        extra: declaration.interceptors?.(context) ?? [],
        loadShedding: shedder?.interceptor,
        metrics: grpcServerMetricsInterceptor(metrics.meterProvider),
      }),
      maxConnectionAge: {
        ageMs: hostConfig.GRPC_MAX_CONNECTION_AGE_MS,
        graceMs: hostConfig.SHUTDOWN_GRACE_MS,
      },
    });
    for (const binding of bindings) server.addService(binding.definition, binding.implementation);
    shutdown.markNotServing = () => health.markShuttingDown();
    const drainDelayMs = hostConfig.SHUTDOWN_DRAIN_DELAY_MS;
    if (drainDelayMs > 0) shutdown.drainDelay = () => delay(drainDelayMs);
    shutdown.drainGrpc = () => server.shutdown(hostConfig.SHUTDOWN_GRACE_MS);
    const port = await server.listen(
      `${hostConfig.GRPC_HOST}:${hostConfig.GRPC_PORT}`,
      identity.serverCredentials(),
    );
    logger.info(
      {
        port,
        identity: identity.mode,
        tracing: tracing.description,
        metrics: metrics.metricsUrl,
        ...(outboxRelayMode === undefined ? {} : { outboxRelay: outboxRelayMode }),
        config: redactConfig(declaration.config, config),
      },
      `${declaration.name} listening`,
    );
    return {
      port,
      config,
      hostConfig,
      context,
      health,
      background,
      logger,
      shutdownSteps: shutdownSteps(),
      loadShedding: shedder,
      metrics,
    };
  } catch (error) {
    await runSteps(shutdownSteps(), logger);
    throw error;
  }
}

/** Runs steps in order; a failing step is logged and the next still runs. Returns failures. */
export async function runSteps(
  steps: Array<{ name: string; run: () => Promise<void> | void }>,
  logger: Logger,
): Promise<unknown[]> {
  const failures: unknown[] = [];
  for (const step of steps) {
    try {
      await step.run();
      logger.info({ step: step.name }, "shutdown step finished");
    } catch (error) {
      logger.error({ step: step.name, err: error }, "shutdown step failed");
      failures.push(error);
    }
  }
  return failures;
}

function serviceNameOf(definition: grpc.ServiceDefinition): string {
  const [method] = Object.values(definition);
  const match = method ? /^\/([^/]+)\//.exec(method.path) : null;
  if (!match?.[1]) throw new Error("a service definition without methods cannot be served");
  return match[1];
}
