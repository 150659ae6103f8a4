import type { IIoK8sApiCoreV1Container } from "kubernetes-models/v1/Container";
import type { IIoK8sApiCoreV1PodSpec } from "kubernetes-models/v1/PodSpec";

/** One rendered Kubernetes object, as `kubectl kustomize` prints it. */
export interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  [field: string]: unknown;
}

/** The objects of one overlay (mesh/overlays/<name>). */
export interface RenderedOverlay {
  name: string;
  manifests: Manifest[];
}

/** Something a check found wrong with one object. */
export interface Finding {
  check: string;
  object: string;
  problem: string;
}

export type PodSpec = IIoK8sApiCoreV1PodSpec;
export type Container = IIoK8sApiCoreV1Container;

/** A workload: an object that runs pods from a template. */
export interface Workload {
  manifest: Manifest;
  podLabels: Record<string, string>;
  podAnnotations: Record<string, string>;
  pod: PodSpec;
}

/** `Kind/name`, how findings name an object. */
export function objectName(manifest: Manifest): string {
  return `${manifest.kind}/${manifest.metadata.name}`;
}

export function ofKind(manifests: Manifest[], kind: string): Manifest[] {
  return manifests.filter((manifest) => manifest.kind === kind);
}

const workloadKinds = new Set(["Deployment", "StatefulSet", "Job"]);

/** Deployments, StatefulSets and Jobs with their pod template. */
export function workloads(manifests: Manifest[]): Workload[] {
  return manifests
    .filter((manifest) => workloadKinds.has(manifest.kind))
    .map((manifest) => {
      const template = (manifest.spec as { template: PodTemplate }).template;
      return {
        manifest,
        podLabels: template.metadata?.labels ?? {},
        podAnnotations: template.metadata?.annotations ?? {},
        pod: template.spec,
      };
    });
}

interface PodTemplate {
  metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
  spec: PodSpec;
}

/** Whether every label of `selector` is on `labels` (matchLabels semantics). */
export function selects(
  selector: Record<string, string> | undefined,
  labels: Record<string, string>,
): boolean {
  if (!selector) return false;
  return Object.entries(selector).every(([key, value]) => labels[key] === value);
}

/** The rendered ConfigMap a workload's container reads through `envFrom`, merged, by key. */
export function environmentOf(
  manifests: Manifest[],
  container: Container,
): Record<string, string | undefined> {
  const environment: Record<string, string | undefined> = {};
  for (const source of container.envFrom ?? []) {
    const name = source.configMapRef?.name;
    const configMap = manifests.find(
      (manifest) => manifest.kind === "ConfigMap" && manifest.metadata.name === name,
    );
    Object.assign(environment, (configMap?.data as Record<string, string> | undefined) ?? {});
  }
  for (const variable of container.env ?? []) environment[variable.name] = variable.value;
  return environment;
}

/** A deep copy, so a test can break a rendered object without touching the shared render. */
export function cloneManifests(manifests: Manifest[]): Manifest[] {
  return structuredClone(manifests);
}
