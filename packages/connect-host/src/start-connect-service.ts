import { setTimeout as delay } from "node:timers/promises";
import { createConnectRouter } from "@connectrpc/connect";
import { loadConfig, redactConfig } from "@switchyard/config";
import { type AccessTokenVerifier, accessTokenVerifierFromConfig } from "@switchyard/end-user-auth";
import { HealthRegistry } from "@switchyard/lifecycle";
import { createLogger, type Logger } from "@switchyard/logging";
import {
  connectServerMetricsInterceptor,
  type HostMetrics,
  httpServerMetrics,
  startHostMetrics,
} from "@switchyard/metrics";
import { topologyFromConfig } from "@switchyard/topology";
import { startTracing } from "@switchyard/tracing";
import { createWorkloadIdentity } from "@switchyard/workload-identity";
import type { ConnectHostConfig, ConnectHostConfigShape } from "./connect-host-config.js";
import type {
  ConnectServiceDeclaration,
  ConnectServiceSetup,
  Upstreams,
} from "./connect-service.js";
import { createConnectHttpServer } from "./http/connect-http-server.js";
import { type Admission, clientAddressKey } from "./interceptors/admission.js";
import { callerOfRequest, callerWorkloadKey } from "./interceptors/caller-workload.js";
import { standardInterceptors } from "./interceptors/standard-interceptors.js";

export interface ConnectServiceOverrides {
  /** The whole environment the deployable reads (nothing comes from process.env). */
  env: Record<string, string | undefined>;
  /** Instead of a JSON logger on stdout (tests capture lines). */
  logger?: Logger;
  /**
   * Instead of the verifier the JWT_* / JWKS_* config describes. Only the benchmark's
   * plaintext baseline uses this (a decoder that verifies nothing), to measure what
   * verification costs.
   */
  accessTokens?: AccessTokenVerifier;
  /**
   * Set by `runConnectService` only: the deployable IS the process, behind a load balancer.
   * Started in-process (tests, benchmarks, drills), SHUTDOWN_DRAIN_DELAY_MS defaults to 0.
   */
  asProcess?: boolean;
}

/** A deployable started in-process. */
export interface RunningConnectService {
  port: number;
  /** http://host:port, or https:// when it serves mTLS. */
  url: string;
  health: HealthRegistry;
  logger: Logger;
  /** The admin port (ADMIN_PORT, 0 by default in-process); `metricsUrl` is its /metrics. */
  adminPort: number;
  metricsUrl: string;
  /** Runs the shutdown steps in order (the same steps SIGTERM runs). */
  stop(): Promise<void>;
}

/** One named step of the ordered shutdown. */
export interface ShutdownStep {
  name: string;
  run(): Promise<void> | void;
}

/**
 * Starts `declaration` in this process with `overrides.env` as its whole environment: parses
 * the config (throws ConfigError), builds logger, workload identity, access-token verifier,
 * upstream clients, health, THE interceptor chain and the HTTP server, and listens. Tests,
 * benchmarks and `runConnectService` all start deployables through here.
 */
export async function startConnectService<
  Shape extends ConnectHostConfigShape,
  Clients extends Upstreams,
>(
  declaration: ConnectServiceDeclaration<Shape, Clients>,
  overrides: ConnectServiceOverrides,
): Promise<
  RunningConnectService & {
    shutdownSteps: ShutdownStep[];
    shutdownGraceMs: number;
    shutdownDrainDelayMs: number;
  }
> {
  const env = overrides.asProcess
    ? overrides.env
    : { SHUTDOWN_DRAIN_DELAY_MS: "0", ADMIN_PORT: "0", ...overrides.env };
  const config = loadConfig(declaration.configShape, env);
  const hostConfig = config as unknown as ConnectHostConfig;
  // Before anything else, so every span of start-up and of the first call is recorded.
  const tracing = startTracing({ serviceName: declaration.name, env });
  const logger =
    overrides.logger ?? createLogger({ service: declaration.name, level: hostConfig.LOG_LEVEL });
  const identity = createWorkloadIdentity(hostConfig, { workload: declaration.name, logger });
  const opened: { admission?: Admission | undefined; metrics?: HostMetrics } = {};
  try {
    // Before the clients and the server: every call and upstream call records from the first.
    const metrics = await startHostMetrics({ service: declaration.name, config: hostConfig, env });
    opened.metrics = metrics;
    const accessTokens =
      overrides.accessTokens ?? accessTokenVerifierFromConfig(hostConfig, { logger });
    const topology = topologyFromConfig(hostConfig);
    const setup: ConnectServiceSetup<typeof config> = { config, logger, identity, topology };

    // Before the clients: a bad admission config (ConfigError) must leave nothing open.
    const admission = declaration.admission?.(setup);
    opened.admission = admission;
    const clients = declaration.upstreams(setup);
    const health = new HealthRegistry();
    for (const [name, check] of Object.entries(declaration.readinessChecks?.(clients) ?? {})) {
      health.addReadinessCheck(name, check);
    }
    const internal = declaration.callers === "workloads";
    const routes = declaration.routes(clients, setup);
    const server = createConnectHttpServer({
      logger,
      health,
      routes,
      interceptors: standardInterceptors({
        logger,
        accessTokens,
        publicMethods: declaration.publicMethods ?? [],
        deadlines: { defaultMs: hostConfig.DEFAULT_DEADLINE_MS, maxMs: hostConfig.MAX_DEADLINE_MS },
        idempotencyKeyRequiredFor: declaration.idempotencyKeyRequiredFor ?? [],
        workloadCallersOf: internal ? declaration.name : undefined,
        admission,
        metrics: connectServerMetricsInterceptor(metrics.meterProvider),
      }),
      maxBodyBytes: hostConfig.MAX_BODY_BYTES,
      requestHooks: [
        httpServerMetrics(metrics.meterProvider, procedurePaths(routes)),
        ...(declaration.requestHooks?.(setup) ?? []),
      ],
      contextValues: (request, values) => {
        // The TCP peer: X-Forwarded-For is not believed (any client can send one).
        values.set(clientAddressKey, request.socket.remoteAddress ?? "unknown");
        if (internal) values.set(callerWorkloadKey, callerOfRequest(identity, request));
      },
      ...(internal ? { mutualTls: identity.mode === "mtls" ? identity : undefined } : {}),
    });
    const { host, port: wantedPort } = declaration.listenOn(config);
    const port = await server.listen(host, wantedPort);
    const scheme = internal && identity.mode === "mtls" ? "https" : "http";
    logger.info(
      {
        port,
        scheme,
        topology,
        tracing: tracing.description,
        metrics: metrics.metricsUrl,
        config: redactConfig(declaration.configShape, config),
      },
      `${declaration.name} listening`,
    );

    // THE shutdown order: leave the load balancer (readyz 503), keep serving through the drain
    // delay while it notices, drain HTTP (stop accepting, Connection: close / GOAWAY, in-flight
    // calls still use the clients), then close the clients, then stop watching the certificates,
    // then flush the spans.
    const graceMs = hostConfig.SHUTDOWN_GRACE_MS;
    const drainDelayMs = hostConfig.SHUTDOWN_DRAIN_DELAY_MS;
    const shutdownSteps: ShutdownStep[] = [
      { name: "mark not serving", run: () => health.markShuttingDown() },
      ...(drainDelayMs === 0
        ? []
        : [{ name: "drain delay (still serving)", run: () => delay(drainDelayMs) }]),
      { name: "drain HTTP", run: () => server.close(graceMs) },
      { name: "close upstream clients", run: () => clients.close() },
      ...(admission === undefined
        ? []
        : [{ name: "close admission control", run: () => admission.close() }]),
      { name: "stop watching TLS files", run: () => identity.close() },
      // Last: every step before may still record spans.
      // After everything that records: the last OTLP batch is pushed, /metrics closes.
      { name: "flush metrics", run: () => metrics.shutdown() },
      { name: "flush traces", run: () => tracing.shutdown() },
    ];
    let stopped: Promise<void> | undefined;
    return {
      port,
      url: `${scheme}://${host}:${port}`,
      adminPort: metrics.adminPort,
      metricsUrl: metrics.metricsUrl,
      health,
      logger,
      shutdownSteps,
      shutdownGraceMs: graceMs,
      shutdownDrainDelayMs: drainDelayMs,
      stop() {
        stopped ??= (async () => {
          for (const step of shutdownSteps) {
            await step.run();
            logger.info({ step: step.name }, "shutdown step finished");
          }
        })();
        return stopped;
      },
    };
  } catch (error) {
    await opened.admission?.close();
    identity.close();
    await opened.metrics?.shutdown();
    await tracing.shutdown();
    throw error;
  }
}

/**
 * The request paths the routes serve ("/pkg.Service/Method"): the only values http.route may
 * take, so a client sending made-up paths cannot create new series.
 */
function procedurePaths(routes: Parameters<typeof createConnectHttpServer>[0]["routes"]): string[] {
  const router = createConnectRouter();
  routes(router);
  return router.handlers.map((handler) => handler.requestPath);
}
