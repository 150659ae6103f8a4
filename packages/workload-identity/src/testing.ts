import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { WorkloadIdentityConfig } from "./workload-identity-config.js";

/** The committed dev certificate script (certs/generate-dev-certs.mjs at the repository root). */
export const generateDevCertsScript = fileURLToPath(
  new URL("../../../certs/generate-dev-certs.mjs", import.meta.url),
);

/** A dev CA and workload certificates in a temporary directory, made by the real script. */
export interface TestCertificates {
  dir: string;
  caFile: string;
  certFile(workload: string): string;
  keyFile(workload: string): string;
  /** mtls-mode config of `workload` (reload interval `reloadIntervalMs`, default 60 s). */
  configFor(workload: string, reloadIntervalMs?: number): WorkloadIdentityConfig;
  /** Runs the script again on the same directory (e.g. `["--force"]` to replace everything). */
  regenerate(args?: string[]): void;
  remove(): void;
}

/**
 * Creates certificates for tests with `certs/generate-dev-certs.mjs --out <temp dir>`. Call it
 * twice for two unrelated CAs (the "certificate from another CA" case).
 */
export function createTestCertificates(
  options: { workloads?: string[]; validDays?: number } = {},
): TestCertificates {
  const dir = mkdtempSync(join(tmpdir(), "switchyard-test-certs-"));
  const baseArgs = ["--out", dir];
  if (options.workloads) baseArgs.push("--workloads", options.workloads.join(","));
  if (options.validDays) baseArgs.push("--valid-days", String(options.validDays));
  const run = (extra: string[]) =>
    execFileSync(process.execPath, [generateDevCertsScript, ...baseArgs, ...extra], {
      stdio: ["ignore", "ignore", "pipe"],
    });
  run([]);
  const certFile = (workload: string) => join(dir, `${workload}.crt`);
  const keyFile = (workload: string) => join(dir, `${workload}.key`);
  return {
    dir,
    caFile: join(dir, "ca.crt"),
    certFile,
    keyFile,
    configFor: (workload, reloadIntervalMs = 60_000) => ({
      MESH_MODE: "off",
      TLS_CA_FILE: join(dir, "ca.crt"),
      TLS_CERT_FILE: certFile(workload),
      TLS_KEY_FILE: keyFile(workload),
      TLS_RELOAD_INTERVAL_MS: reloadIntervalMs,
    }),
    regenerate: (args = []) => run(args),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
