import type { Container, Manifest, PodSpec } from "../src/manifest.js";

/** The rendered object `kind/name` (a generated ConfigMap by its name before the hash suffix). */
export function find(manifests: Manifest[], kind: string, name: string): Manifest {
  const found = manifests.find(
    (manifest) =>
      manifest.kind === kind &&
      (manifest.metadata.name === name ||
        (kind === "ConfigMap" && manifest.metadata.name.startsWith(`${name}-`))),
  );
  if (!found) throw new Error(`${kind}/${name} is not rendered`);
  return found;
}

/** The pod spec of a rendered Deployment, StatefulSet or Job. */
export function podOf(manifests: Manifest[], kind: string, name: string): PodSpec {
  return (find(manifests, kind, name).spec as { template: { spec: PodSpec } }).template.spec;
}

/** The first container of a rendered workload. */
export function containerOf(manifests: Manifest[], kind: string, name: string): Container {
  const container = podOf(manifests, kind, name).containers[0];
  if (!container) throw new Error(`${kind}/${name} has no container`);
  return container;
}

/** Removes `kind/name` from the render. */
export function remove(manifests: Manifest[], kind: string, name: string): void {
  manifests.splice(manifests.indexOf(find(manifests, kind, name)), 1);
}
