import { workloadFromSpiffeId } from "./spiffe-id.js";

/** What grpc-js and node:tls expose of a peer certificate; only the SAN list matters here. */
export interface CertificateWithNames {
  subjectaltname?: string | undefined;
}

/**
 * The workload named by the single SPIFFE URI SAN of a (verified) peer certificate. A
 * certificate with no SPIFFE ID, or more than one, identifies nobody: undefined.
 */
export function workloadFromPeerCertificate(
  certificate: CertificateWithNames | undefined,
): string | undefined {
  const spiffeIds = spiffeIdsOf(certificate?.subjectaltname);
  if (spiffeIds.length !== 1) return undefined;
  return workloadFromSpiffeId(spiffeIds[0] as string);
}

/** Every `URI:spiffe://…` entry of a node-style SAN list ("URI:spiffe://…, DNS:…, IP Address:…"). */
export function spiffeIdsOf(subjectAltName: string | undefined): string[] {
  if (subjectAltName === undefined) return [];
  return subjectAltName
    .split(/,\s*/)
    .filter((entry) => entry.startsWith("URI:spiffe://"))
    .map((entry) => entry.slice("URI:".length));
}
