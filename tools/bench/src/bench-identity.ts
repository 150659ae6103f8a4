import { loadConfig } from "@switchyard/config";
import { createLogger } from "@switchyard/logging";
import { createWorkloadIdentity, workloadIdentityConfigShape } from "@switchyard/workload-identity";
import { devCertificateConfig } from "./security-pair-settings.js";

/**
 * The benchmark's identity: the gateway's, so that a direct call crosses the same mTLS and
 * authorization as the gateway's own hop — its dev identity from certs/out unless TLS_* /
 * MESH_MODE say otherwise.
 */
export function benchIdentity() {
  const ownIdentity =
    process.env.TLS_CERT_FILE !== undefined || process.env.MESH_MODE === "linkerd";
  const dev = ownIdentity ? undefined : devCertificateConfig("gateway");
  const config = loadConfig(workloadIdentityConfigShape, {
    TLS_CA_FILE: dev?.TLS_CA_FILE,
    TLS_CERT_FILE: dev?.TLS_CERT_FILE,
    TLS_KEY_FILE: dev?.TLS_KEY_FILE,
    ...process.env,
  });
  return createWorkloadIdentity(config, {
    workload: "gateway",
    logger: createLogger({ service: "bench", level: "warn" }),
  });
}
