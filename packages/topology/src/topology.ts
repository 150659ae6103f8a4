import { defaultPorts, type ServiceName, serviceNames } from "./service-names.js";

/** Logical service name → gRPC target, e.g. "127.0.0.1:50051" or "dns:///user-service...". */
export type Topology = Record<ServiceName, string>;

/** Targets for everything on one host (devstack, tests): `<host>:<port>`. */
export function localTopology(
  host = "127.0.0.1",
  ports: Partial<Record<ServiceName, number>> = {},
): Topology {
  return buildTopology((name) => `${host}:${ports[name] ?? defaultPorts[name]}`);
}

/**
 * Targets inside a cluster: the `dns:///` scheme makes grpc-js resolve every address behind the
 * name, so round_robin spreads calls over replicas (behind a headless Service) or the mesh does.
 */
export function kubernetesTopology(namespace = "switchyard"): Topology {
  return buildTopology(
    (name) => `dns:///${name}.${namespace}.svc.cluster.local:${defaultPorts[name]}`,
  );
}

function buildTopology(target: (name: ServiceName) => string): Topology {
  return Object.fromEntries(serviceNames.map((name) => [name, target(name)])) as Topology;
}
