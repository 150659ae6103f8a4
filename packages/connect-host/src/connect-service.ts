import type { DescMethod } from "@bufbuild/protobuf";
import type { ConnectRouter } from "@connectrpc/connect";
import type { MeshWorkload } from "@switchyard/access-policy";
import type { HealthRegistry } from "@switchyard/lifecycle";
import type { Logger } from "@switchyard/logging";
import type { Topology } from "@switchyard/topology";
import type { WorkloadIdentity } from "@switchyard/workload-identity";
import type { z } from "zod";
import type { ConnectHostConfigShape } from "./connect-host-config.js";
import type { RequestHook } from "./http/connect-http-server.js";
import type { Admission } from "./interceptors/admission.js";

/** The parsed config of a declaration's shape. */
export type ConfigOf<Shape extends z.ZodRawShape> = z.infer<z.ZodObject<Shape>>;

/** What the host built before asking the declaration for its parts. */
export interface ConnectServiceSetup<Config> {
  config: Config;
  logger: Logger;
  identity: WorkloadIdentity;
  topology: Topology;
}

/** The clients a deployable calls; closed by the host after HTTP has drained. */
export interface Upstreams {
  close(): void | Promise<void>;
}

/**
 * A Connect deployable, declared: what it is, what it reads, what it calls and what it serves.
 * The host (`runConnectService` / `startConnectService`) does everything else the same way for
 * every deployable: config, logger, identity, health, interceptors, listening, shutdown.
 */
export interface ConnectServiceDeclaration<
  Shape extends ConnectHostConfigShape,
  Clients extends Upstreams,
> {
  /** The workload: logger name, certificate identity, entry in the access policy. */
  name: MeshWorkload;
  /** `{ ...connectHostConfigShape, <its own keys> }`. */
  configShape: Shape;
  /** Where it listens (its own HOST/PORT keys). */
  listenOn(config: ConfigOf<Shape>): { host: string; port: number };
  /** Its upstream clients, dialled with the workload identity. */
  upstreams(setup: ConnectServiceSetup<ConfigOf<Shape>>): Clients;
  /** Readiness checks by name; none means ready while not shutting down. */
  readinessChecks?(clients: Clients): Record<string, () => Promise<void>>;
  /** Registers its Connect services. */
  routes(
    clients: Clients,
    setup: ConnectServiceSetup<ConfigOf<Shape>>,
  ): (router: ConnectRouter) => void;
  /** Methods callable without an access token. */
  publicMethods?: DescMethod[];
  /** Methods that must carry an Idempotency-Key. */
  idempotencyKeyRequiredFor?: DescMethod[];
  /**
   * "end-users": a public edge, cleartext (TLS ends in front of it). "workloads": only the
   * workloads the access policy lists for `name` may call — over mTLS with the workload's own
   * certificate (mtls mode) or behind the Linkerd proxy (linkerd mode).
   */
  callers: "end-users" | "workloads";
  /**
   * Admission control (the gateway's rate limits and quotas), asked right after authentication;
   * closed after HTTP has drained.
   */
  admission?(setup: ConnectServiceSetup<ConfigOf<Shape>>): Admission | undefined;
  /** HTTP-level steps before routing (header hygiene, deprecation headers). */
  requestHooks?(setup: ConnectServiceSetup<ConfigOf<Shape>>): RequestHook[];
}

/** Declares a Connect deployable (identity function: it fixes the types). */
export function defineConnectService<
  Shape extends ConnectHostConfigShape,
  Clients extends Upstreams,
>(
  declaration: ConnectServiceDeclaration<Shape, Clients>,
): ConnectServiceDeclaration<Shape, Clients> {
  return declaration;
}

/** The health registry a running deployable reports on /readyz. */
export type { HealthRegistry };
