import type { Manifest } from "../manifest.js";
import { type LabelSelector, selectorMatches } from "./label-selector.js";

interface Peer {
  podSelector?: LabelSelector;
  namespaceSelector?: LabelSelector;
  ipBlock?: unknown;
}
export interface NetworkPolicyRule {
  from?: Peer[];
  to?: Peer[];
  ports?: { port?: number | string }[];
}
export interface NetworkPolicySpec {
  podSelector: LabelSelector;
  policyTypes?: string[];
  ingress?: NetworkPolicyRule[];
  egress?: NetworkPolicyRule[];
}

/** Pod labels standing for a pod in the namespace. */
export type PodLabels = Record<string, string>;

/**
 * Whether one side lets a connection through, with NetworkPolicy semantics: a pod no policy of
 * that direction selects is not isolated; an isolated pod accepts (ingress) or opens (egress) a
 * connection when a rule of a policy selecting it matches the peer pod (same namespace) and the
 * destination port.
 */
export function sideAllows(
  policies: Manifest[],
  direction: "ingress" | "egress",
  owner: PodLabels,
  peer: PodLabels,
  port: number,
): boolean {
  const selecting = policies
    .map((policy) => policy.spec as NetworkPolicySpec)
    .filter(
      (spec) =>
        selectorMatches(spec.podSelector, owner) &&
        (spec.policyTypes ?? ["Ingress"]).includes(direction === "ingress" ? "Ingress" : "Egress"),
    );
  if (selecting.length === 0) return true;
  return selecting.some((spec) =>
    (spec[direction] ?? []).some((rule) => {
      const peers = direction === "ingress" ? rule.from : rule.to;
      const peerMatches =
        peers === undefined ||
        peers.some(
          (candidate) =>
            candidate.podSelector !== undefined &&
            candidate.namespaceSelector === undefined &&
            selectorMatches(candidate.podSelector, peer),
        );
      const portMatches =
        rule.ports === undefined || rule.ports.some((allowed) => Number(allowed.port) === port);
      return peerMatches && portMatches;
    }),
  );
}

/** Whether a pod labelled `from` can open a connection to a pod labelled `to` on `port`. */
export function connectionAllowed(
  policies: Manifest[],
  from: PodLabels,
  to: PodLabels,
  port: number,
): boolean {
  return (
    sideAllows(policies, "egress", from, to, port) &&
    sideAllows(policies, "ingress", to, from, port)
  );
}
