import { z } from "zod";
import { type ServiceName, serviceNames } from "./service-names.js";
import { kubernetesTopology, localTopology, type Topology } from "./topology.js";

// Schemes grpc-js resolves itself; anything else must be a plain host:port.
const grpcTarget = z
  .string()
  .regex(
    /^(?:(?:dns|ipv4|ipv6|unix|unix-abstract):\S+|[^\s/:]+:\d+|\[[0-9a-fA-F:.]+\]:\d+)$/,
    "expected a gRPC target: host:port, or dns:///host:port (also ipv4:, ipv6:, unix:)",
  );

/**
 * Config keys for a service's view of the topology; spread into its own config shape.
 * TOPOLOGY_NAMESPACE (Kubernetes namespace, default "switchyard") and the *_TARGET overrides
 * are optional.
 */
export const topologyConfigShape = {
  TOPOLOGY_PROFILE: z.enum(["local", "kubernetes"]).default("local"),
  TOPOLOGY_NAMESPACE: z
    .string()
    .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, "expected a Kubernetes namespace (DNS label)")
    .optional(),
  USER_SERVICE_TARGET: grpcTarget.optional(),
  ORDER_SERVICE_TARGET: grpcTarget.optional(),
  GATEWAY_TARGET: grpcTarget.optional(),
  WEB_BFF_TARGET: grpcTarget.optional(),
} satisfies z.ZodRawShape;

export interface TopologyConfig {
  TOPOLOGY_PROFILE: "local" | "kubernetes";
  TOPOLOGY_NAMESPACE?: string | undefined;
  USER_SERVICE_TARGET?: string | undefined;
  ORDER_SERVICE_TARGET?: string | undefined;
  GATEWAY_TARGET?: string | undefined;
  WEB_BFF_TARGET?: string | undefined;
}

const overrideKeys: Record<ServiceName, keyof TopologyConfig> = {
  "user-service": "USER_SERVICE_TARGET",
  "order-service": "ORDER_SERVICE_TARGET",
  gateway: "GATEWAY_TARGET",
  "web-bff": "WEB_BFF_TARGET",
};

/** The topology for a profile, with any per-service `*_TARGET` override applied on top. */
export function topologyFromConfig(config: TopologyConfig): Topology {
  const base =
    config.TOPOLOGY_PROFILE === "kubernetes"
      ? kubernetesTopology(config.TOPOLOGY_NAMESPACE)
      : localTopology();
  const topology = { ...base };
  for (const name of serviceNames) {
    const override = config[overrideKeys[name]];
    if (override !== undefined) topology[name] = override;
  }
  return topology;
}
