import * as grpc from "@grpc/grpc-js";
import { HealthService } from "@switchyard/contracts/grpc/grpc/health/v1/health";
import type { HealthRegistry } from "@switchyard/lifecycle";
import type { Logger } from "@switchyard/logging";
import { createReadinessHealthService } from "./health-service.js";
import { addReflection } from "./reflection.js";
import { withServerLogger } from "./server-logger.js";

const healthServiceName = "grpc.health.v1.Health";

export interface GrpcServerOptions {
  logger: Logger;
  /** Drives grpc.health.v1: SERVING while ready, NOT_SERVING otherwise and once shutting down. */
  health: HealthRegistry;
  /** Fully-qualified names reported by grpc.health.v1 (plus "" for the whole server). */
  serviceNames: string[];
  /** Cross-cutting concerns (authorization, metrics, ...), outermost first. */
  interceptors?: grpc.ServerInterceptor[];
  /** How often readiness is re-evaluated (default 1000 ms). */
  healthPollIntervalMs?: number;
  /**
   * GOAWAY to connections older than `ageMs` (calls then get `graceMs` to finish), so that
   * long-lived client channels reconnect and rebalance over replicas. Default: 5 min + 10 s.
   */
  maxConnectionAge?: { ageMs: number; graceMs: number };
}

/** A grpc-js server with health, reflection and graceful shutdown wired in. */
export interface GrpcServer {
  readonly server: grpc.Server;
  addService<I extends grpc.UntypedServiceImplementation>(
    definition: grpc.ServiceDefinition<I>,
    implementation: I,
  ): void;
  /**
   * Binds `address` ("127.0.0.1:0" picks a free port) and resolves with the bound port.
   * `credentials` is required: `WorkloadIdentity.serverCredentials()` in services; a test that
   * wants plaintext says so with `grpc.ServerCredentials.createInsecure()`.
   */
  listen(address: string, credentials: grpc.ServerCredentials): Promise<number>;
  /** NOT_SERVING first, then lets in-flight calls finish; cancels what is left after `graceMs`. */
  shutdown(graceMs: number): Promise<void>;
}

/**
 * Creates the server every service runs: grpc.health.v1 driven by `health`, reflection over the
 * contracts descriptor set for every added service, the given server interceptors, and a logger
 * handed to `unary()` handlers.
 */
export function createGrpcServer(options: GrpcServerOptions): GrpcServer {
  const { logger } = options;
  const server = new grpc.Server({
    interceptors: options.interceptors ?? [],
    // As for clients (grpc-client.ts): no channelz service is registered anywhere, and with it on
    // every call updates call, stream and message counters and timestamps per server and session.
    "grpc.enable_channelz": 0,
    "grpc.max_connection_age_ms": options.maxConnectionAge?.ageMs ?? 300_000,
    "grpc.max_connection_age_grace_ms": options.maxConnectionAge?.graceMs ?? 10_000,
  });
  const health = createReadinessHealthService({
    health: options.health,
    serviceNames: options.serviceNames,
    logger,
    pollIntervalMs: options.healthPollIntervalMs ?? 1000,
  });
  server.addService(HealthService, health.implementation);
  const served = [healthServiceName];
  let reflectionAdded = false;
  let shuttingDown: Promise<void> | undefined;

  return {
    server,
    addService(definition, implementation) {
      const name = serviceNameOf(definition);
      if (reflectionAdded) {
        throw new Error(`cannot add ${name} after listen(): reflection is already serving`);
      }
      served.push(name);
      server.addService(definition, withServerLogger(implementation, logger));
    },
    async listen(address, credentials) {
      if (!reflectionAdded) {
        addReflection(server, served);
        reflectionAdded = true;
      }
      const port = await new Promise<number>((resolve, reject) => {
        server.bindAsync(address, credentials, (error, boundPort) => {
          if (error) reject(new Error(`gRPC server cannot listen on ${address}: ${error.message}`));
          else resolve(boundPort);
        });
      });
      // So that a health check right after listen() reflects real readiness, not the default.
      await health.firstEvaluation;
      logger.info({ address, port, services: served }, "gRPC server listening");
      return port;
    },
    shutdown(graceMs) {
      shuttingDown ??= drain(server, health.stop, graceMs, logger);
      return shuttingDown;
    },
  };
}

async function drain(
  server: grpc.Server,
  stopHealth: () => void,
  graceMs: number,
  logger: Logger,
): Promise<void> {
  stopHealth();
  await new Promise<void>((resolve) => {
    // tryShutdown has no timeout of its own (grpc-node #2091): bound it with forceShutdown.
    const timer = setTimeout(() => {
      logger.warn({ graceMs }, "grace period over; cancelling the calls still in flight");
      server.forceShutdown();
      resolve();
    }, graceMs);
    server.tryShutdown((error) => {
      clearTimeout(timer);
      if (error) logger.warn({ err: error }, "gRPC server shutdown reported an error");
      else logger.info("gRPC server drained");
      resolve();
    });
  });
}

function serviceNameOf(definition: grpc.ServiceDefinition): string {
  const [method] = Object.values(definition);
  const match = method ? /^\/([^/]+)\//.exec(method.path) : null;
  if (!match?.[1]) throw new Error("cannot add a service definition without methods");
  return match[1];
}
