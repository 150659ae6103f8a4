/** The SPIFFE trust domain of every Switchyard workload certificate (certs/generate-dev-certs.mjs). */
export const trustDomain = "switchyard.local";
/** The Kubernetes namespace workloads run in; a workload's name is its ServiceAccount name. */
export const workloadNamespace = "switchyard";

const serviceAccountName = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** `spiffe://switchyard.local/ns/switchyard/sa/<workload>`: the URI SAN of a workload's certificate. */
export function spiffeIdOf(workload: string): string {
  return `spiffe://${trustDomain}/ns/${workloadNamespace}/sa/${workload}`;
}

/**
 * The workload a SPIFFE ID names, or undefined when it is malformed or belongs to another trust
 * domain or namespace (a certificate of our CA for another namespace is not one of ours).
 */
export function workloadFromSpiffeId(uri: string): string | undefined {
  const prefix = `spiffe://${trustDomain}/ns/${workloadNamespace}/sa/`;
  if (!uri.startsWith(prefix)) return undefined;
  const workload = uri.slice(prefix.length);
  return serviceAccountName.test(workload) ? workload : undefined;
}
