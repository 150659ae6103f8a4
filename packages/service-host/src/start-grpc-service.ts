import type { ServiceAccessPolicy } from "@switchyard/access-policy";
import type { HealthRegistry } from "@switchyard/lifecycle";
import type { Logger } from "@switchyard/logging";
import type { ConcurrencySnapshot } from "@switchyard/rate-limit";
import type postgres from "postgres";
import type { z } from "zod";
import { bootGrpcService, runSteps } from "./boot-grpc-service.js";
import type { GrpcServiceConfigShape } from "./grpc-service-config.js";
import type {
  BackgroundWork,
  Clock,
  GrpcServiceContext,
  GrpcServiceDeclaration,
} from "./grpc-service-declaration.js";

/** What tests, benchmarks and the devstack may set when they start a declaration. */
export interface StartGrpcServiceOptions {
  /**
   * The environment the config is read from, and nothing else (process.env is NOT read, so a
   * developer's shell never leaks into a test). GRPC_HOST defaults to 127.0.0.1, GRPC_PORT to 0,
   * SHUTDOWN_DRAIN_DELAY_MS to 0 (no load balancer in front of an in-process service), ADMIN_PORT
   * (the /metrics server) to 0.
   * Credentials come in here too: TLS_* files of test certificates (`./testing` tlsEnv).
   */
  env: Record<string, string | undefined>;
  /** Defaults to a logger at LOG_LEVEL on stdout. */
  logger?: Logger;
  /** Defaults to the system clock. */
  clock?: Clock;
  /** Defaults to THE access policy; `./testing` has one that also admits a test caller. */
  policy?: ServiceAccessPolicy;
}

/** A declaration running in this process. */
export interface RunningGrpcService<Config> {
  port: number;
  /** "127.0.0.1:<port>": a gRPC target for clients. */
  target: string;
  /** The admin port (ADMIN_PORT, 0 by default here); `metricsUrl` is its Prometheus endpoint. */
  adminPort: number;
  metricsUrl: string;
  config: Config;
  health: HealthRegistry;
  /** What the declaration's functions received (its database, NATS, ...), for assertions. */
  context: GrpcServiceContext<Config>;
  /** The declaration's background work, by the names it gave. */
  background: Record<string, BackgroundWork>;
  /**
   * Resolves once nothing is left to do right now: the outbox has no unpublished row (with
   * `events`) and every background work has caught up (e.g. consumers acknowledged their
   * streams). Tests wait on it before reading event-fed read models. Bounded by `timeoutMs`
   * (default 15 s).
   */
  waitUntilIdle(options?: { timeoutMs?: number }): Promise<void>;
  /** The load shedder's limit, in-flight calls and rejections now; undefined when it is off. */
  loadShedding(): ConcurrencySnapshot | undefined;
  /** Shutdown steps, by name, in the order `stop()` runs them. */
  shutdownStepNames: string[];
  /** The ordered shutdown production runs on SIGTERM, without exiting; rejects if a step failed. */
  stop(): Promise<void>;
}

/**
 * Starts a declaration in-process, exactly as production does except that the environment,
 * logger, clock and policy may be given: for tests, benchmarks and the devstack.
 */
export async function startGrpcService<S extends GrpcServiceConfigShape>(
  declaration: GrpcServiceDeclaration<S>,
  options: StartGrpcServiceOptions,
): Promise<RunningGrpcService<z.infer<z.ZodObject<S>>>> {
  const booted = await bootGrpcService(declaration, {
    ...options,
    env: {
      GRPC_HOST: "127.0.0.1",
      GRPC_PORT: "0",
      SHUTDOWN_DRAIN_DELAY_MS: "0",
      ADMIN_PORT: "0",
      ...options.env,
    },
  });
  let stopping: Promise<void> | undefined;
  return {
    port: booted.port,
    target: `127.0.0.1:${booted.port}`,
    adminPort: booted.metrics.adminPort,
    metricsUrl: booted.metrics.metricsUrl,
    config: booted.config,
    health: booted.health,
    context: booted.context,
    background: booted.background,
    shutdownStepNames: booted.shutdownSteps.map((step) => step.name),
    loadShedding: () => booted.loadShedding?.snapshot(),
    async waitUntilIdle({ timeoutMs = 15_000 } = {}) {
      const deadline = Date.now() + timeoutMs;
      if (declaration.events) {
        await waitUntilOutboxDrained(booted.context.database.sql, deadline);
      }
      for (const work of Object.values(booted.background)) {
        await work.waitUntilCaughtUp?.({ timeoutMs: Math.max(1, deadline - Date.now()) });
      }
    },
    stop() {
      stopping ??= runSteps(booted.shutdownSteps, booted.logger).then((failures) => {
        if (failures.length > 0) {
          throw new AggregateError(
            failures,
            `${declaration.name}: ${failures.length} shutdown step(s) failed`,
          );
        }
      });
      return stopping;
    },
  };
}

/** Polls until the outbox has no row left to publish (dead letters do not count). */
async function waitUntilOutboxDrained(sql: postgres.Sql, deadline: number): Promise<void> {
  for (;;) {
    const [row] = await sql<{ pending: number }[]>`
      select count(*)::int as pending from outbox_messages
      where published_time is null and dead_letter_time is null`;
    if (row?.pending === 0) return;
    if (Date.now() > deadline) {
      throw new Error(`${row?.pending} outbox rows still unpublished at the deadline`);
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
