/**
 * THE access policy between Switchyard workloads: for each gRPC server workload and each of its
 * methods, the workloads allowed to call it. It drives both the in-process authorization
 * interceptor (every service, mtls and mesh mode) and the generated Linkerd manifests in
 * mesh/policy/ (`npm run mesh:generate`). Change access here, nowhere else.
 *
 * Decisions:
 * - gateway may call the methods the public edge API (proto/switchyard/edge/v1, v2) exposes.
 * - web-bff reads what its screens show: users, orders and the customer order summary.
 * - order-service asks user-service about a customer (GetUser) when an order is placed.
 * - gateway calls web-bff's screens (WebService): the web app reaches its BFF through the
 *   gateway's origin only. web-bff is a Connect server; its probes are /healthz and /readyz.
 * - Back-office methods (ListUsers, SuspendUser, ConfirmOrder, ShipOrder) have no caller yet:
 *   no edge route exposes them, so granting them to the gateway would only widen what a
 *   compromised gateway can do. The workload that gets a back-office flow is added here.
 * - Health and reflection (`platformAccess`) are open to every authenticated workload; health
 *   Check also to unauthenticated callers, which only exist behind the mesh: kubelet gRPC probes
 *   reach the pod through the Linkerd proxy without an identity.
 * - End users (`endUserPolicy`): only the edge workloads, which verify the user's JWT
 *   themselves, may say which end user a call is for, and they must say it for everything but
 *   signup. Only order-service calls without an end user, as itself (the customer lookup).
 */

/** Every workload that runs in the mesh (its ServiceAccount name is its identity). */
export const meshWorkloads = ["user-service", "order-service", "gateway", "web-bff"] as const;
export type MeshWorkload = (typeof meshWorkloads)[number];

/** Who may call a method: named workloads, any authenticated workload, or anyone at all. */
export type CallerRule =
  | { kind: "workloads"; workloads: readonly MeshWorkload[] }
  | { kind: "authenticated" }
  | { kind: "anyone" };

/** One server workload: its services by fully-qualified name, method name → callers. */
export interface ServerPolicy {
  /**
   * "grpc" (default): a grpc-js service (health and reflection as gRPC methods). "connect": a
   * Connect deployable (HTTP/1.1 and HTTP/2; probes are GET /healthz and /readyz).
   */
  protocol?: "grpc" | "connect";
  services: Record<string, Record<string, readonly MeshWorkload[]>>;
}

/**
 * Who may speak for an end user. The mesh cannot check this part (it sees workloads, not
 * users): the in-process interceptor enforces it in every mode.
 */
export interface EndUserPolicy {
  /**
   * Edge workloads that verify end users' access tokens themselves and may assert the user to
   * services (`x-switchyard-end-user` / `x-switchyard-scopes` metadata). From any other
   * workload that metadata is refused with PERMISSION_DENIED.
   */
  asserters: readonly MeshWorkload[];
  /**
   * Workloads that may call their allowed methods WITHOUT an end user, acting as themselves.
   * An asserter calling without an end user is refused (UNAUTHENTICATED) unless the method is
   * in `anonymousMethods`: a bug or a compromise at the edge must not read as "internal call".
   */
  internalCallers: readonly MeshWorkload[];
  /** Methods ("/pkg.Service/Method") that need no end user from anyone: signup. */
  anonymousMethods: readonly string[];
}

export interface ServiceAccessPolicy {
  servers: Partial<Record<MeshWorkload, ServerPolicy>>;
  /** Methods every gRPC server serves (grpc-kit adds health and reflection), by full path. */
  platform: Record<string, CallerRule>;
  /** Paths every Connect server serves (the Connect host's probes). */
  connectPlatform: Record<string, CallerRule>;
  /** Which workloads may act for end users, and which may act without one. */
  endUsers: EndUserPolicy;
}

/**
 * The scope that lets an end user READ every user's data (and use back-office methods, which no
 * edge route exposes today). Writes to a user's own resources stay with that user.
 */
export const adminScope = "switchyard:admin";

export const endUserPolicy: EndUserPolicy = {
  asserters: ["gateway", "web-bff"],
  internalCallers: ["order-service"],
  anonymousMethods: ["/switchyard.user.v1.UserService/RegisterUser"],
};

/** Health and reflection, served by every grpc-kit server. */
export const platformAccess: Record<string, CallerRule> = {
  "/grpc.health.v1.Health/Check": { kind: "anyone" },
  "/grpc.health.v1.Health/Watch": { kind: "authenticated" },
  "/grpc.health.v1.Health/List": { kind: "authenticated" },
  "/grpc.reflection.v1.ServerReflection/ServerReflectionInfo": { kind: "authenticated" },
  "/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo": { kind: "authenticated" },
};

/** The Connect host's probe endpoints: open like gRPC health Check (kubelet has no identity). */
export const connectPlatformAccess: Record<string, CallerRule> = {
  "/healthz": { kind: "anyone" },
  "/readyz": { kind: "anyone" },
};

export const serviceAccessPolicy: ServiceAccessPolicy = {
  servers: {
    "user-service": {
      services: {
        "switchyard.user.v1.UserService": {
          RegisterUser: ["gateway"],
          GetUser: ["gateway", "web-bff", "order-service"],
          UpdateUser: ["gateway"],
          ListUsers: [],
          SuspendUser: [],
        },
      },
    },
    "order-service": {
      services: {
        "switchyard.order.v1.OrderService": {
          PlaceOrder: ["gateway"],
          GetOrder: ["gateway", "web-bff"],
          ListOrders: ["gateway", "web-bff"],
          ConfirmOrder: [],
          ShipOrder: [],
          CancelOrder: ["gateway"],
          GetCustomerOrderSummary: ["web-bff"],
        },
      },
    },
    "web-bff": {
      protocol: "connect",
      services: {
        "switchyard.bff.web.v1.WebService": {
          GetDashboard: ["gateway"],
          GetOrderPage: ["gateway"],
        },
      },
    },
  },
  platform: platformAccess,
  connectPlatform: connectPlatformAccess,
  endUsers: endUserPolicy,
};

/**
 * The rule for `path` ("/pkg.Service/Method") on `server`, or undefined when the policy does not
 * know the method (which means: nobody may call it).
 */
export function callerRuleFor(
  policy: ServiceAccessPolicy,
  server: MeshWorkload,
  path: string,
): CallerRule | undefined {
  const platforms =
    policy.servers[server]?.protocol === "connect" ? policy.connectPlatform : policy.platform;
  const platform = platforms[path];
  if (platform) return platform;
  const match = /^\/([^/]+)\/([^/]+)$/.exec(path);
  if (!match) return undefined;
  const [, service = "", method = ""] = match;
  const callers = policy.servers[server]?.services[service]?.[method];
  return callers === undefined ? undefined : { kind: "workloads", workloads: callers };
}
