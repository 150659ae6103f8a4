import type { Component } from "./components.js";

/** Replica n of a component listens on its port + n × this (and its admin port likewise). */
export const replicaPortStep = 100;

/** One process of a component: the component's settings with this replica's ports. */
export type Replica = Component & {
  /** "user-service" alone, "user-service-2" for the second of several (logs, banner). */
  label: string;
};

/** The `count` replicas of `component`, each on its own port and admin port. */
export function replicasOf(component: Component, count: number): Replica[] {
  return Array.from({ length: count }, (_, index) => ({
    ...component,
    label: count === 1 ? component.name : `${component.name}-${index + 1}`,
    port: component.port + index * replicaPortStep,
    adminPort: component.adminPort + index * replicaPortStep,
  }));
}

/**
 * The gRPC target naming every replica: "127.0.0.1:50051" for one, "ipv4:127.0.0.1:50051,
 * 127.0.0.1:50151" for several (grpc-js round-robins over the list; Connect peers balance too).
 */
export function replicasTarget(replicas: Replica[]): string {
  const addresses = replicas.map((replica) => `127.0.0.1:${replica.port}`);
  return addresses.length === 1 ? (addresses[0] ?? "") : `ipv4:${addresses.join(",")}`;
}
