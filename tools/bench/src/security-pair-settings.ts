import { fileURLToPath } from "node:url";
import type { WorkloadIdentityConfig } from "@switchyard/workload-identity";

/** secure: mTLS + authorization + JWT verification; plaintext: none of them. */
export type SecurityMode = "secure" | "plaintext";

/** The dev certificates of `workload` in certs/out/ (made by `npm run certs` / `npm start`). */
export function devCertificateConfig(workload: string): WorkloadIdentityConfig {
  const certs = fileURLToPath(new URL("../../../certs/out/", import.meta.url));
  return {
    MESH_MODE: "off",
    TLS_CA_FILE: `${certs}ca.crt`,
    TLS_CERT_FILE: `${certs}${workload}.crt`,
    TLS_KEY_FILE: `${certs}${workload}.key`,
    TLS_RELOAD_INTERVAL_MS: 60_000,
  };
}
