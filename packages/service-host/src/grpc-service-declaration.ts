import type * as grpc from "@grpc/grpc-js";
import type { NatsConnection } from "@nats-io/transport-node";
import type { MeshWorkload } from "@switchyard/access-policy";
import type { Database } from "@switchyard/database";
import type { EventNamespace, StreamDefinition } from "@switchyard/events";
import type { HealthRegistry } from "@switchyard/lifecycle";
import type { Logger } from "@switchyard/logging";
import type { WorkloadIdentity } from "@switchyard/workload-identity";
import type { z } from "zod";
import type { GrpcServiceConfigShape } from "./grpc-service-config.js";

/** Where "now" comes from; tests may pass a fixed one to `startGrpcService`. */
export interface Clock {
  now(): Date;
}

/** One gRPC service the server serves: a generated definition and its implementation. */
export interface ServiceBinding {
  definition: grpc.ServiceDefinition;
  implementation: grpc.UntypedServiceImplementation;
}

/** Pairs a generated service definition with its implementation, type-checked. */
export function bindService<I extends grpc.UntypedServiceImplementation>(
  definition: grpc.ServiceDefinition<I>,
  implementation: I,
): ServiceBinding {
  return { definition, implementation } as ServiceBinding;
}

/** Something a service runs beside its gRPC server (event consumers, ...). */
export interface BackgroundWork {
  /** Finishes what is in flight and stops; runs after gRPC drained, before NATS drains. */
  stop(): Promise<void>;
  /** Resolves once there is nothing left to do right now (tests wait on it). */
  waitUntilCaughtUp?(options?: { timeoutMs?: number }): Promise<void>;
}

/** What a declaration's functions receive: the connections the host opened for it. */
export interface GrpcServiceContext<Config> {
  readonly config: Config;
  readonly logger: Logger;
  readonly identity: WorkloadIdentity;
  readonly health: HealthRegistry;
  readonly clock: Clock;
  /** The service's migrated pool (declaration `database`; reading it otherwise throws). */
  readonly database: Database;
  /** The NATS connection (declaration `events`; reading it otherwise throws). */
  readonly nats: NatsConnection;
  /** Subject and stream prefix (EVENTS_NAMESPACE). */
  readonly eventsNamespace: EventNamespace;
  /**
   * Copies of each stream the service creates (EVENTS_STREAM_REPLICAS; 3 on a JetStream
   * cluster): the host uses it for the stream it produces; pass it on to consumers it starts.
   */
  readonly streamReplicas: number | undefined;
  /** IDEMPOTENCY_TTL_HOURS in ms (declaration `idempotency`). */
  readonly idempotencyTtlMs: number;
  /**
   * A client of another service by logical name (declared in `clients`): target from the
   * topology, mTLS as this workload, round-robin, default deadline. The host closes it after
   * the gRPC drain.
   */
  client<C extends grpc.Client>(
    Client: new (
      address: string,
      credentials: grpc.ChannelCredentials,
      options?: Partial<grpc.ChannelOptions>,
    ) => C,
    server: MeshWorkload,
    options?: { defaultDeadlineMs?: number },
  ): C;
}

/** A gRPC service, declared: everything the host needs to run it, in production and in tests. */
export interface GrpcServiceDeclaration<S extends GrpcServiceConfigShape = GrpcServiceConfigShape> {
  /** The workload (ServiceAccount): logger name, certificate identity, access-policy entry. */
  name: MeshWorkload;
  /** The whole config schema, with `grpcServiceConfigShape(...)` spread in. */
  config: S;
  /** Its own database: migrations applied at start (`service`: drizzle bookkeeping name). */
  database?: { migrationsFolder: string; migrationsName: string };
  /** NATS, the stream this service produces (ensured at start) and the outbox relay. */
  events?: { produces: StreamDefinition };
  /** Idempotent commands: TTL for `context.idempotencyTtlMs` and a scheduled purge of expired keys. */
  idempotency?: true;
  /** Services it calls, by logical name (targets come from the topology config). */
  clients?: readonly MeshWorkload[];
  /** The gRPC services it serves; no use-case logic in the host or here, only wiring. */
  grpc(context: GrpcServiceContext<z.infer<z.ZodObject<S>>>): ServiceBinding[];
  /** Interceptors after the standard chain (authorization by the access policy comes first). */
  interceptors?(context: GrpcServiceContext<z.infer<z.ZodObject<S>>>): grpc.ServerInterceptor[];
  /** Readiness checks beyond the database and NATS ones the host adds. */
  readiness?(
    context: GrpcServiceContext<z.infer<z.ZodObject<S>>>,
  ): Record<string, () => Promise<void>>;
  /** Work beside the server (started before it listens, stopped after it drained), by name. */
  background?(
    context: GrpcServiceContext<z.infer<z.ZodObject<S>>>,
  ): Promise<Record<string, BackgroundWork>>;
}

/** Declares a gRPC service (an identity function that fixes the config type for inference). */
export function defineGrpcService<S extends GrpcServiceConfigShape>(
  declaration: GrpcServiceDeclaration<S>,
): GrpcServiceDeclaration<S> {
  return declaration;
}
