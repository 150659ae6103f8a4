import { environmentOf, objectName, workloads } from "../manifest.js";
import type { DeploymentCheck } from "./check.js";
import { findingsOf } from "./check.js";

/** A config schema as the deployables declare it: key → a zod type (only safeParse is used). */
export type ConfigSchema = Record<string, { safeParse(value: unknown): { success: boolean } }>;

/**
 * The environment a Deployment gives its container matches the deployable's config schema
 * (`services/<service>/src/config.ts`, `gateway/src/config.ts`, `bff/web-bff/src/config.ts`):
 * every key is one the schema reads (`<KEY>_FILE` for a key read from a file) — a misspelt or
 * removed key is silently ignored at start, so the setting never takes effect — and every key
 * the schema requires (no default) is given, or the pod exits 78 at start.
 */
export function configKeysMatchSchemas(schemas: Map<string, ConfigSchema>): DeploymentCheck {
  return {
    id: "config-keys-match-schemas",
    rule: "every ConfigMap/env key is a config key of the deployable; every required key is set",
    run({ manifests }) {
      const { findings, add } = findingsOf(this.id);
      for (const workload of workloads(manifests)) {
        if (workload.manifest.kind !== "Deployment") continue;
        const schema = schemas.get(workload.manifest.metadata.name);
        if (!schema) continue;
        for (const container of workload.pod.containers) {
          const given = Object.keys(environmentOf(manifests, container));
          const where = `${objectName(workload.manifest)} container ${container.name}`;
          for (const key of given) {
            const read = key in schema || (key.endsWith("_FILE") && key.slice(0, -5) in schema);
            if (!read)
              add(where, `${key} is not a config key of ${workload.manifest.metadata.name}`);
          }
          for (const [key, type] of Object.entries(schema)) {
            if (type.safeParse(undefined).success) continue;
            if (!given.includes(key) && !given.includes(`${key}_FILE`)) {
              add(where, `${key} is required by the config schema but not set`);
            }
          }
        }
      }
      return findings;
    },
  };
}
