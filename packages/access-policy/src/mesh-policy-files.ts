import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { ManifestFile } from "./linkerd-policy-manifests.js";

/** mesh/policy/ at the repository root, where the generated manifests are committed. */
export const meshPolicyDirectory = fileURLToPath(new URL("../../../mesh/policy", import.meta.url));

/** Writes `files` into `directory`, removing generated YAML files that are no longer produced. */
export function writeManifestFiles(directory: string, files: ManifestFile[]): void {
  mkdirSync(directory, { recursive: true });
  const wanted = new Set(files.map((generated) => generated.name));
  for (const existing of readdirSync(directory)) {
    if (existing.endsWith(".yaml") && !wanted.has(existing)) rmSync(join(directory, existing));
  }
  for (const generated of files) writeFileSync(join(directory, generated.name), generated.text);
}

/** Names of files in `directory` that differ from `files` (missing, changed or extra YAML). */
export function staleManifestFiles(directory: string, files: ManifestFile[]): string[] {
  const stale: string[] = [];
  const read = (name: string) => {
    try {
      return readFileSync(join(directory, name), "utf8");
    } catch {
      return undefined;
    }
  };
  for (const generated of files) {
    if (read(generated.name) !== generated.text) stale.push(generated.name);
  }
  const wanted = new Set(files.map((generated) => generated.name));
  let existing: string[] = [];
  try {
    existing = readdirSync(directory);
  } catch {
    // A missing directory: every file is already reported as missing.
  }
  for (const name of existing) {
    if (name.endsWith(".yaml") && !wanted.has(name)) stale.push(name);
  }
  return stale.sort();
}
