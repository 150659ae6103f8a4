import { spawnSync } from "node:child_process";
import { join } from "node:path";
import type { WorkloadIdentityConfig } from "@switchyard/workload-identity";

/**
 * Makes sure the dev CA and every workload certificate exist and are fresh (the cert script is
 * idempotent: it only issues what is missing, foreign or close to expiry). Returns the folder.
 */
export function ensureDevCertificates(repositoryRoot: string): string {
  const script = join(repositoryRoot, "certs", "generate-dev-certs.mjs");
  const result = spawnSync(process.execPath, [script], { cwd: repositoryRoot, encoding: "utf8" });
  if (result.status !== 0) {
    throw new Error(`dev certificates could not be created:\n${result.stderr || result.stdout}`);
  }
  return join(repositoryRoot, "certs", "out");
}

/** The TLS_* settings that give `workload` its mTLS identity from the dev certificates. */
export function tlsSettingsFor(certsDir: string, workload: string): Record<string, string> {
  return {
    TLS_CA_FILE: join(certsDir, "ca.crt"),
    TLS_CERT_FILE: join(certsDir, `${workload}.crt`),
    TLS_KEY_FILE: join(certsDir, `${workload}.key`),
  };
}

/** The devstack's own identity (health and reflection only, per the access policy). */
export function devstackIdentityConfig(certsDir: string): WorkloadIdentityConfig {
  return {
    MESH_MODE: "off",
    ...tlsSettingsFor(certsDir, "devstack"),
    TLS_RELOAD_INTERVAL_MS: 60_000,
  };
}
