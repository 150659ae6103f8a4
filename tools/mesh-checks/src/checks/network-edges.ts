import { meshWorkloads, serviceAccessPolicy } from "@switchyard/access-policy";
import { type Manifest, objectName, ofKind, workloads } from "../manifest.js";
import { type DeploymentCheck, findingsOf } from "./check.js";
import { selectorMatches } from "./label-selector.js";
import { type NetworkPolicySpec, sideAllows } from "./network-reachability.js";

/**
 * Calls the network must allow although the access policy does not name them (none today; an
 * entry needs a reason next to it).
 */
export const edgesOutsideTheAccessPolicy: string[] = [];

/** The public edge: the one workload that accepts connections from outside the namespace. */
const publicEdge = "gateway";

/** caller → server for every method the access policy lets the caller call. */
export function accessPolicyEdges(): Set<string> {
  const edges = new Set<string>();
  for (const [server, policy] of Object.entries(serviceAccessPolicy.servers)) {
    for (const methods of Object.values(policy?.services ?? {})) {
      for (const callers of Object.values(methods)) {
        for (const caller of callers) edges.add(`${caller}→${server}`);
      }
    }
  }
  return edges;
}

/**
 * Default deny, then exactly the access policy's edges between the workloads: a connection from
 * caller to server is open only when the server's ingress AND the caller's egress allow it on
 * the server's port, and it must be open exactly when the access policy lets the caller call a
 * method of the server (plus `edgesOutsideTheAccessPolicy`). Only the gateway takes traffic from
 * outside.
 */
export const networkEdgesMatchAccessPolicy: DeploymentCheck = {
  id: "network-edges-match-access-policy",
  rule: "network policies deny by default and open exactly the access policy's edges",
  run({ manifests }) {
    const { findings, add } = findingsOf(this.id);
    const policies = ofKind(manifests, "NetworkPolicy");
    if (!policies.some(isDefaultDeny)) {
      add(
        "NetworkPolicy/*",
        "no default-deny policy (empty podSelector, Ingress and Egress, no rules)",
      );
    }
    const pods = new Map<string, { labels: Record<string, string>; ports: number[] }>();
    for (const workload of workloads(manifests)) {
      const name = workload.podLabels["app.kubernetes.io/name"];
      if (workload.manifest.kind !== "Deployment" || !name) continue;
      const ports = workload.pod.containers.flatMap((c) =>
        (c.ports ?? []).map((p) => p.containerPort),
      );
      pods.set(name, { labels: workload.podLabels, ports });
    }

    // Open on the server's port (the first container port of the server's pods).
    const allowed = (direction: "ingress" | "egress", owner: string, peer: string) => {
      const ownerPod = pods.get(owner);
      const peerPod = pods.get(peer);
      const server = direction === "ingress" ? ownerPod : peerPod;
      const port = server?.ports[0];
      if (!ownerPod || !peerPod || port === undefined) return false;
      return sideAllows(policies, direction, ownerPod.labels, peerPod.labels, port);
    };

    const expected = new Set([...accessPolicyEdges(), ...edgesOutsideTheAccessPolicy]);
    for (const caller of meshWorkloads) {
      for (const server of meshWorkloads) {
        if (caller === server) continue;
        const edge = `${caller}→${server}`;
        const open = allowed("ingress", server, caller) && allowed("egress", caller, server);
        if (open && !expected.has(edge)) {
          add(
            `NetworkPolicy/*`,
            `${edge} is open, but the access policy lets ${caller} call nothing on ${server}`,
          );
        }
        if (!open && expected.has(edge)) {
          const missing = [
            allowed("ingress", server, caller) ? "" : `${server} ingress`,
            allowed("egress", caller, server) ? "" : `${caller} egress`,
          ].filter(Boolean);
          add(
            `NetworkPolicy/*`,
            `${edge} is in the access policy but closed (${missing.join(", ")})`,
          );
        }
      }
    }
    for (const policy of policies) {
      for (const rule of (policy.spec as NetworkPolicySpec).ingress ?? []) {
        if (rule.from !== undefined) continue;
        for (const [name, pod] of pods) {
          if (name === publicEdge) continue;
          if (selectorMatches((policy.spec as NetworkPolicySpec).podSelector, pod.labels)) {
            add(objectName(policy), `lets anyone connect to ${name}; only ${publicEdge} is public`);
          }
        }
      }
    }
    return findings;
  },
};

function isDefaultDeny(policy: Manifest): boolean {
  const spec = policy.spec as NetworkPolicySpec;
  const selectsAll =
    Object.keys(spec.podSelector.matchLabels ?? {}).length === 0 &&
    (spec.podSelector.matchExpressions ?? []).length === 0;
  const types = spec.policyTypes ?? [];
  return (
    selectsAll &&
    types.includes("Ingress") &&
    types.includes("Egress") &&
    (spec.ingress ?? []).length === 0 &&
    (spec.egress ?? []).length === 0
  );
}
