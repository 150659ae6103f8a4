import { endUserAuthConfigShape } from "@switchyard/end-user-auth";
import { metricsConfigShape } from "@switchyard/metrics";
import { topologyConfigShape } from "@switchyard/topology";
import { workloadIdentityConfigShape } from "@switchyard/workload-identity";
import { z } from "zod";

const positiveMs = z.coerce.number().int().positive();

/**
 * Config keys every Connect deployable has; spread into its own shape (which adds where it
 * listens and what it alone needs). Parsed once by the host.
 */
export const connectHostConfigShape = {
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  /** How long in-flight calls may finish after SIGTERM before connections are cut. */
  SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).default(10_000),
  /**
   * After SIGTERM /readyz answers 503 but every call (and keep-alive connection) is still served
   * this long, so load balancers and Kubernetes endpoints stop routing here before the port
   * closes. 5 s covers endpoint propagation in a cluster; the devstack sets 1 s, in-process 0.
   */
  SHUTDOWN_DRAIN_DELAY_MS: z.coerce.number().int().min(0).default(5_000),
  /** Downstream deadline when the caller sends no timeout. */
  DEFAULT_DEADLINE_MS: positiveMs.default(5_000),
  /** Longest downstream deadline, whatever timeout the caller asks for. */
  MAX_DEADLINE_MS: positiveMs.default(30_000),
  /** Largest request message accepted; larger ones get resource_exhausted. */
  MAX_BODY_BYTES: positiveMs.default(1024 * 1024),
  ...topologyConfigShape,
  /** mTLS files (or MESH_MODE=linkerd) for calling services and, if internal, being called. */
  ...workloadIdentityConfigShape,
  /** End users' JWT access tokens: JWT_ISSUER, JWT_AUDIENCE, JWKS_URL or JWKS_FILE, … */
  ...endUserAuthConfigShape,
  /** ADMIN_HOST, ADMIN_PORT: the admin HTTP server serving /metrics (Prometheus). */
  ...metricsConfigShape,
} satisfies z.ZodRawShape;

export type ConnectHostConfigShape = typeof connectHostConfigShape;
export type ConnectHostConfig = z.infer<z.ZodObject<ConnectHostConfigShape>>;

/** A listening port: 0 asks the OS for a free one (tests). */
export const portSetting = z.coerce.number().int().min(0).max(65535);
