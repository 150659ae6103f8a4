import { secret } from "@switchyard/config";
import { metricsConfigShape } from "@switchyard/metrics";
import { workloadIdentityConfigShape } from "@switchyard/workload-identity";
import { z } from "zod";
import { loadSheddingConfigShape } from "./load-shedding.js";

const port = z.coerce.number().int().min(0).max(65535);

/**
 * The config keys the host itself reads, for every gRPC service: where to listen, log level,
 * shutdown grace and the workload identity (mTLS files or MESH_MODE=linkerd). Spread into the
 * service's config shape: `{ ...grpcServiceConfigShape({ defaultPort: 50051 }), ...own keys }`.
 */
export function grpcServiceConfigShape(options: { defaultPort: number }) {
  return {
    GRPC_HOST: z.string().min(1).default("127.0.0.1"),
    /** 0 asks the OS for a free port (tests). */
    GRPC_PORT: port.default(options.defaultPort),
    LOG_LEVEL: z
      .enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"])
      .default("info"),
    /** How long in-flight calls may finish after SIGTERM before they are cut off. */
    SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).default(10_000),
    /**
     * After SIGTERM the service reports NOT_SERVING but keeps serving new calls this long, so
     * load balancers and Kubernetes endpoints stop routing to it before it stops accepting.
     * 5 s covers endpoint propagation in a cluster; the devstack sets 1 s, in-process starts 0.
     */
    SHUTDOWN_DRAIN_DELAY_MS: z.coerce.number().int().min(0).default(5_000),
    /**
     * Connections older than this get a GOAWAY (grpc.max_connection_age_ms), so long-lived
     * client channels reconnect and spread over replicas added or restarted since.
     */
    GRPC_MAX_CONNECTION_AGE_MS: z.coerce.number().int().positive().default(300_000),
    /** mTLS files (or MESH_MODE=linkerd): gRPC never listens or dials in plaintext otherwise. */
    ...workloadIdentityConfigShape,
    /** LOAD_SHEDDING, LOAD_SHEDDING_{INITIAL,MIN,MAX}_LIMIT, _LATENCY_LIMIT_MS, _PUSHBACK_MS */
    ...loadSheddingConfigShape,
    /** ADMIN_HOST, ADMIN_PORT: the admin HTTP server serving /metrics (Prometheus). */
    ...metricsConfigShape,
  } satisfies z.ZodRawShape;
}

export type GrpcServiceConfigShape = ReturnType<typeof grpcServiceConfigShape>;
export type GrpcServiceConfig = z.infer<z.ZodObject<GrpcServiceConfigShape>>;

/** Config keys of a service that owns a database (declaration `database`). */
export const databaseConfigShape = {
  /** Carries the role's password: give it as DATABASE_URL_FILE in real deployments. */
  DATABASE_URL: secret(
    z.string().regex(/^postgres(ql)?:\/\/\S+$/, "must be a postgres:// connection URL"),
  ),
  /** Connections in the service's pool (at least 2: migrations hold one for their lock). */
  DATABASE_POOL_SIZE: z.coerce.number().int().min(2).default(10),
} satisfies z.ZodRawShape;

export interface DatabaseConfig {
  DATABASE_URL: string;
  DATABASE_POOL_SIZE: number;
}

/** Config keys of a service with idempotent commands (declaration `idempotency`). */
export const idempotencyConfigShape = {
  /** How long an idempotency key replays its first response. */
  IDEMPOTENCY_TTL_HOURS: z.coerce.number().positive().default(24),
} satisfies z.ZodRawShape;

/**
 * Expired keys are purged every RETENTION_SWEEP_INTERVAL_MS (`outboxConfigShape`, shared with
 * the published-outbox sweep; ten minutes when the service has no outbox).
 */
export interface IdempotencyConfig {
  IDEMPOTENCY_TTL_HOURS: number;
  RETENTION_SWEEP_INTERVAL_MS?: number;
}
