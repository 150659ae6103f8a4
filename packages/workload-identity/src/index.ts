export { type VerifiedSocket, workloadOfConnection } from "./connection-peer.js";
export {
  linkerdClientIdHeader,
  linkerdIdentityOf,
  workloadFromLinkerdIdentity,
} from "./linkerd-identity.js";
export {
  type CertificateWithNames,
  spiffeIdsOf,
  workloadFromPeerCertificate,
} from "./peer-certificate.js";
export {
  spiffeIdOf,
  trustDomain,
  workloadFromSpiffeId,
  workloadNamespace,
} from "./spiffe-id.js";
export type { CertificateSummary, TlsMaterial } from "./tls-material.js";
export {
  type ClientTransport,
  createWorkloadIdentity,
  createWorkloadIdentityOrExit,
  type PeerCall,
  type WorkloadIdentity,
  type WorkloadIdentityOptions,
} from "./workload-identity.js";
export {
  type WorkloadIdentityConfig,
  workloadIdentityConfigShape,
} from "./workload-identity-config.js";
