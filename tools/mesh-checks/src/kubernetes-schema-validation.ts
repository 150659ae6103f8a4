import { Deployment } from "kubernetes-models/apps/v1/Deployment";
import { StatefulSet } from "kubernetes-models/apps/v1/StatefulSet";
import { HorizontalPodAutoscaler } from "kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler";
import { Job } from "kubernetes-models/batch/v1/Job";
import { NetworkPolicy } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicy";
import { PodDisruptionBudget } from "kubernetes-models/policy/v1/PodDisruptionBudget";
import { ConfigMap } from "kubernetes-models/v1/ConfigMap";
import { Namespace } from "kubernetes-models/v1/Namespace";
import { Secret } from "kubernetes-models/v1/Secret";
import { Service } from "kubernetes-models/v1/Service";
import { ServiceAccount } from "kubernetes-models/v1/ServiceAccount";
import { trackFieldAccess } from "./field-access-tracker.js";

type ModelClass = { prototype: { validate(): void } };

/** Built-in kinds by `apiVersion/kind`, each with its kubernetes-models validator. */
const builtInModels: Record<string, ModelClass> = {
  "v1/Namespace": Namespace,
  "v1/ServiceAccount": ServiceAccount,
  "v1/Service": Service,
  "v1/ConfigMap": ConfigMap,
  "v1/Secret": Secret,
  "apps/v1/Deployment": Deployment,
  "apps/v1/StatefulSet": StatefulSet,
  "batch/v1/Job": Job,
  "policy/v1/PodDisruptionBudget": PodDisruptionBudget,
  "networking.k8s.io/v1/NetworkPolicy": NetworkPolicy,
  "autoscaling/v2/HorizontalPodAutoscaler": HorizontalPodAutoscaler,
};

export function isBuiltInKind(apiVersion: string, kind: string): boolean {
  return `${apiVersion}/${kind}` in builtInModels;
}

/**
 * Validates a built-in object against the Kubernetes OpenAPI schema (kubernetes-models) and
 * reports every field the schema does not declare. Returns problems, empty when valid.
 */
export function validateBuiltIn(object: { apiVersion: string; kind: string }): string[] {
  const model = builtInModels[`${object.apiVersion}/${object.kind}`];
  if (!model) return [`no Kubernetes schema for ${object.apiVersion} ${object.kind}`];
  const tracker = trackFieldAccess(object);
  const problems: string[] = [];
  try {
    // The model's validate() only runs the compiled schema validator on `this`.
    model.prototype.validate.call(tracker.tracked);
  } catch (error) {
    problems.push(...schemaErrors(error));
  }
  for (const field of tracker.unreadFields()) problems.push(`unknown field ${field}`);
  return problems;
}

function schemaErrors(error: unknown): string[] {
  const errors = (error as { errors?: { instancePath: string; message?: string }[] }).errors;
  if (!errors) return [String((error as Error).message ?? error)];
  return errors.map(
    (entry) => `${entry.instancePath.replace(/^\//, "").replaceAll("/", ".")} ${entry.message}`,
  );
}
