import { defaultPorts, type ServiceName } from "@switchyard/topology";

/** How the devstack knows a component is ready to take traffic. */
export type Readiness =
  /** grpc.health.v1 Check of this fully-qualified service answers SERVING. */
  | { kind: "grpc-health"; service: string }
  /** GET of this path answers 200 (HTTP/1.1; over mTLS as the devstack when `tls`). */
  | { kind: "http"; path: string; tls?: true };

/** One deployable the devstack runs, in start order (dependencies first). */
export interface Component {
  name: ServiceName;
  /** Entry point relative to the repository root (built by `turbo run build`). */
  entry: string;
  port: number;
  /** Its admin HTTP port (ADMIN_PORT): Prometheus text at /metrics. */
  adminPort: number;
  /** The config key that sets its listening port. */
  portSetting: string;
  /** What it speaks on that port, for the banner. */
  protocol: string;
  readiness: Readiness;
  /** Its own database and role, when it owns data. */
  database?: { name: string; role: string };
  /** Verifies end users' access tokens (gets the dev issuer's JWKS). */
  verifiesAccessTokens?: true;
}

/** Admin (/metrics) ports next to the Prometheus exporter's registered 9464, one per component. */
const defaultAdminPorts: Record<ServiceName, number> = {
  "user-service": 9461,
  "order-service": 9462,
  "web-bff": 9463,
  gateway: 9464,
};

/** The components in start order; database and role names start with `namePrefix`. */
export function devstackComponents(portOffset: number, namePrefix = "switchyard"): Component[] {
  return [
    {
      name: "user-service",
      entry: "services/user-service/dist/main.js",
      port: defaultPorts["user-service"] + portOffset,
      adminPort: defaultAdminPorts["user-service"] + portOffset,
      portSetting: "GRPC_PORT",
      protocol: "gRPC (mTLS)",
      readiness: { kind: "grpc-health", service: "switchyard.user.v1.UserService" },
      database: { name: `${namePrefix}_user_service`, role: `${namePrefix}_user_service` },
    },
    {
      name: "order-service",
      entry: "services/order-service/dist/main.js",
      port: defaultPorts["order-service"] + portOffset,
      adminPort: defaultAdminPorts["order-service"] + portOffset,
      portSetting: "GRPC_PORT",
      protocol: "gRPC (mTLS)",
      readiness: { kind: "grpc-health", service: "switchyard.order.v1.OrderService" },
      database: { name: `${namePrefix}_order_service`, role: `${namePrefix}_order_service` },
    },
    {
      name: "web-bff",
      entry: "bff/web-bff/dist/main.js",
      port: defaultPorts["web-bff"] + portOffset,
      adminPort: defaultAdminPorts["web-bff"] + portOffset,
      portSetting: "WEB_BFF_PORT",
      protocol: "Connect, gRPC, gRPC-Web (mTLS: the gateway's hop)",
      readiness: { kind: "http", path: "/readyz", tls: true },
      verifiesAccessTokens: true,
    },
    {
      name: "gateway",
      entry: "gateway/dist/main.js",
      port: defaultPorts.gateway + portOffset,
      adminPort: defaultAdminPorts.gateway + portOffset,
      portSetting: "GATEWAY_PORT",
      protocol: "Connect JSON/binary, gRPC, gRPC-Web (HTTP/1.1 + h2c)",
      readiness: { kind: "http", path: "/readyz" },
      verifiesAccessTokens: true,
    },
  ];
}
