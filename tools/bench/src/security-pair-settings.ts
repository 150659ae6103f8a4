import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { WorkloadIdentityConfig } from "@switchyard/workload-identity";

/** secure: mTLS + authorization + JWT verification; plaintext: none of them. */
export type SecurityMode = "secure" | "plaintext";

/** The folder of the dev certificates (made by `npm run certs` / `npm start`). */
export const devCertificatesDir = fileURLToPath(new URL("../../../certs/out/", import.meta.url));

/**
 * The dev certificates of `workload` in certs/out/; throws naming the command that makes them
 * when they are missing (a fresh clone that never ran `npm start`).
 */
export function devCertificateConfig(workload: string): WorkloadIdentityConfig {
  const certs = devCertificatesDir;
  if (!existsSync(`${certs}${workload}.crt`)) {
    throw new Error(
      `no dev certificate for ${workload} in ${certs}: run \`npm run certs\` (or \`npm start\` once) first`,
    );
  }
  return {
    MESH_MODE: "off",
    TLS_CA_FILE: `${certs}ca.crt`,
    TLS_CERT_FILE: `${certs}${workload}.crt`,
    TLS_KEY_FILE: `${certs}${workload}.key`,
    TLS_RELOAD_INTERVAL_MS: 60_000,
  };
}
