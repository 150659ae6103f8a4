import type * as grpc from "@grpc/grpc-js";
import type { NatsConnection } from "@nats-io/transport-node";
import type { MeshWorkload } from "@switchyard/access-policy";
import type { Database } from "@switchyard/database";
import type { EventNamespace } from "@switchyard/events";
import { createGrpcClient } from "@switchyard/grpc-kit";
import type { HealthRegistry } from "@switchyard/lifecycle";
import type { Logger } from "@switchyard/logging";
import type { MeterProvider } from "@switchyard/metrics";
import { type TopologyConfig, topologyFromConfig } from "@switchyard/topology";
import type { WorkloadIdentity } from "@switchyard/workload-identity";
import type { Clock, GrpcServiceContext } from "./grpc-service-declaration.js";

/** The mutable parts the host fills in while it starts; the context reads them. */
export interface ContextParts {
  database?: Database;
  nats?: NatsConnection;
  idempotencyTtlMs?: number;
  /** The host's MeterProvider: clients record their calls on it. */
  meterProvider?: MeterProvider;
}

/**
 * The context handed to a declaration. Connections the declaration did not ask for throw a
 * message naming the missing declaration field, instead of an `undefined` deep in a handler.
 */
export function createServiceContext<Config extends object>(options: {
  workload: MeshWorkload;
  config: Config;
  logger: Logger;
  identity: WorkloadIdentity;
  health: HealthRegistry;
  clock: Clock;
  parts: ContextParts;
  declaredClients: readonly MeshWorkload[];
  /** Every client made through `client()`, so shutdown can close them. */
  clients: grpc.Client[];
}): GrpcServiceContext<Config> {
  const { workload, parts, config } = options;
  const missing = (field: string, what: string): never => {
    throw new Error(`${workload} uses ${what} but its declaration has no \`${field}\``);
  };
  const eventsPrefix = (config as { EVENTS_NAMESPACE?: string }).EVENTS_NAMESPACE ?? "";
  return {
    config,
    logger: options.logger,
    identity: options.identity,
    health: options.health,
    clock: options.clock,
    get database() {
      return parts.database ?? missing("database", "the database");
    },
    get nats() {
      return parts.nats ?? missing("events", "NATS");
    },
    eventsNamespace: { prefix: eventsPrefix } satisfies EventNamespace,
    streamReplicas: (config as { EVENTS_STREAM_REPLICAS?: number }).EVENTS_STREAM_REPLICAS,
    get idempotencyTtlMs() {
      return parts.idempotencyTtlMs ?? missing("idempotency", "idempotency keys");
    },
    client(Client, server, clientOptions = {}) {
      if (!options.declaredClients.includes(server)) {
        missing("clients", `a client of ${server}`);
      }
      const target = topologyFromConfig(config as unknown as TopologyConfig)[server];
      const client = createGrpcClient(Client, {
        target,
        ...options.identity.clientTransport(server),
        ...(clientOptions.defaultDeadlineMs === undefined
          ? {}
          : { defaultDeadlineMs: clientOptions.defaultDeadlineMs }),
        ...(parts.meterProvider === undefined ? {} : { meterProvider: parts.meterProvider }),
      });
      options.clients.push(client);
      return client;
    },
  };
}
