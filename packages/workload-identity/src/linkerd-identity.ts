import { workloadNamespace } from "./spiffe-id.js";

/** The header the Linkerd inbound proxy sets to the verified mTLS identity of the client. */
export const linkerdClientIdHeader = "l5d-client-id";

const linkerdIdentityDomain = "cluster.local";
const serviceAccountName = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** `<workload>.switchyard.serviceaccount.identity.linkerd.cluster.local`: a workload's Linkerd identity. */
export function linkerdIdentityOf(workload: string): string {
  return `${workload}.${workloadNamespace}.serviceaccount.identity.linkerd.${linkerdIdentityDomain}`;
}

/**
 * The workload a Linkerd identity names (`<sa>.<ns>.serviceaccount.identity.linkerd.cluster.local`
 * → `<sa>`), or undefined for anything else, including other namespaces.
 */
export function workloadFromLinkerdIdentity(identity: string): string | undefined {
  const suffix = `.${workloadNamespace}.serviceaccount.identity.linkerd.${linkerdIdentityDomain}`;
  if (!identity.endsWith(suffix)) return undefined;
  const workload = identity.slice(0, -suffix.length);
  return serviceAccountName.test(workload) ? workload : undefined;
}
