import { spawnSync } from "node:child_process";
import { chmodSync, copyFileSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** Where a container finds its mounted secret files (as a Kubernetes secret volume would be). */
export const secretsMountPath = "/etc/switchyard/secrets";

/**
 * Issues dev mTLS certificates for the workloads (certs/generate-dev-certs.mjs) into
 * `dir/issued`. Returns that folder.
 */
export function issueCertificates(
  repositoryRoot: string,
  dir: string,
  workloads: string[],
): string {
  const issued = join(dir, "issued");
  const result = spawnSync(
    process.execPath,
    ["certs/generate-dev-certs.mjs", "--out", issued, "--workloads", workloads.join(",")],
    { cwd: repositoryRoot, encoding: "utf8" },
  );
  if (result.status !== 0) throw new Error(`certificates: ${result.stderr || result.stdout}`);
  return issued;
}

/**
 * One folder of secret files per workload, mounted read-only at secretsMountPath: its TLS
 * identity (ca.crt, tls.crt, tls.key) plus `extra` files. Readable by the image's user (1000):
 * test-only throwaway keys, like a secret volume with a permissive defaultMode.
 */
export function workloadSecrets(
  dir: string,
  certificates: string,
  workload: string,
  extra: Record<string, string> = {},
): string {
  const folder = join(dir, "secrets", workload);
  mkdirSync(folder, { recursive: true });
  copyFileSync(join(certificates, "ca.crt"), join(folder, "ca.crt"));
  copyFileSync(join(certificates, `${workload}.crt`), join(folder, "tls.crt"));
  copyFileSync(join(certificates, `${workload}.key`), join(folder, "tls.key"));
  for (const [name, content] of Object.entries(extra)) writeFileSync(join(folder, name), content);
  for (const path of [dir, join(dir, "secrets"), folder]) chmodSync(path, 0o755);
  for (const name of ["ca.crt", "tls.crt", "tls.key", ...Object.keys(extra)]) {
    chmodSync(join(folder, name), 0o644);
  }
  return folder;
}

/** The TLS_* settings that point a workload at its mounted identity. */
export const mountedTlsSettings = {
  TLS_CA_FILE: `${secretsMountPath}/ca.crt`,
  TLS_CERT_FILE: `${secretsMountPath}/tls.crt`,
  TLS_KEY_FILE: `${secretsMountPath}/tls.key`,
};
