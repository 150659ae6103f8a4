import { environmentOf, objectName, ofKind, workloads } from "../manifest.js";
import { type DeploymentCheck, findingsOf } from "./check.js";

/** Config keys that carry a credential and must come from a mounted file (`<KEY>_FILE`). */
const secretKeys = ["DATABASE_URL"];

/**
 * Secrets reach a process as mounted files (the `*_FILE` convention of @switchyard/config),
 * never as environment values: no env var from a secretKeyRef, no credential key in a
 * ConfigMap, and every `*_FILE` path lies under a mounted volume whose secret is rendered (or
 * written by CloudNativePG for a rendered Cluster: `<cluster>-app`).
 */
export const secretsAsFiles: DeploymentCheck = {
  id: "secrets-as-files",
  rule: "secrets are mounted files (*_FILE), never environment values",
  run({ manifests }) {
    const { findings, add } = findingsOf(this.id);
    const secrets = new Set([
      ...ofKind(manifests, "Secret").map((secret) => secret.metadata.name),
      ...ofKind(manifests, "Cluster").map((cluster) => `${cluster.metadata.name}-app`),
    ]);
    for (const workload of workloads(manifests)) {
      const volumes = new Map((workload.pod.volumes ?? []).map((volume) => [volume.name, volume]));
      for (const container of workload.pod.containers) {
        const where = `${objectName(workload.manifest)} container ${container.name}`;
        for (const variable of container.env ?? []) {
          if (variable.valueFrom?.secretKeyRef) {
            add(
              where,
              `env ${variable.name} comes from a secret: mount it and use ${variable.name}_FILE`,
            );
          }
        }
        for (const source of container.envFrom ?? []) {
          if (source.secretRef)
            add(where, `envFrom secret ${source.secretRef.name}: mount it as files`);
        }
        const environment = environmentOf(manifests, container);
        for (const key of secretKeys) {
          if (environment[key] !== undefined)
            add(where, `${key} is set as a value: use ${key}_FILE`);
        }
        for (const [key, path] of Object.entries(environment)) {
          if (!key.endsWith("_FILE") || path === undefined) continue;
          const mount = (container.volumeMounts ?? []).find((m) =>
            path.startsWith(`${m.mountPath}/`),
          );
          const volume = mount ? volumes.get(mount.name) : undefined;
          if (!mount || !volume) {
            add(where, `${key}=${path} is not under a mounted volume`);
          } else if (volume.secret && !secrets.has(volume.secret.secretName ?? "")) {
            add(
              where,
              `${key} reads secret ${volume.secret.secretName}, which nothing renders or writes`,
            );
          }
        }
      }
    }
    return findings;
  },
};
