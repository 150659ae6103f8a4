import { objectName, ofKind, selects, workloads } from "../manifest.js";
import { type DeploymentCheck, findingsOf } from "./check.js";

interface HorizontalPodAutoscalerSpec {
  scaleTargetRef: { kind: string; name: string };
  minReplicas?: number;
}

/**
 * Production keeps serving through a node loss and a drain: each Deployment has an HPA with at
 * least 2 replicas (and no replica count of its own for `apply` to reset), a
 * PodDisruptionBudget with minAvailable ≥ 1, and anti-affinity that spreads its replicas over
 * nodes; every Postgres cluster has 3 instances. Runs on the prod overlay only.
 */
export const productionAvailability: DeploymentCheck = {
  id: "production-availability",
  rule: "prod: HPA ≥ 2 replicas, PDB minAvailable, anti-affinity, 3 Postgres instances",
  run({ name: overlay, manifests }) {
    const { findings, add } = findingsOf(this.id);
    if (overlay !== "prod") return findings;
    const autoscalers = ofKind(manifests, "HorizontalPodAutoscaler");
    const budgets = ofKind(manifests, "PodDisruptionBudget");
    for (const workload of workloads(manifests)) {
      if (workload.manifest.kind !== "Deployment") continue;
      const name = objectName(workload.manifest);
      const deploymentName = workload.manifest.metadata.name;
      const autoscaler = autoscalers.find((hpa) => {
        const target = (hpa.spec as HorizontalPodAutoscalerSpec).scaleTargetRef;
        return target.kind === "Deployment" && target.name === deploymentName;
      });
      const minReplicas =
        (autoscaler?.spec as HorizontalPodAutoscalerSpec | undefined)?.minReplicas ?? 1;
      if (!autoscaler) add(name, "has no HorizontalPodAutoscaler");
      else if (minReplicas < 2) add(name, `its HPA allows ${minReplicas} replica`);
      if ((workload.manifest.spec as { replicas?: number }).replicas !== undefined) {
        add(name, "sets spec.replicas although an HPA owns the count");
      }
      const budget = budgets.find((pdb) =>
        selects(
          (pdb.spec as { selector: { matchLabels?: Record<string, string> } }).selector.matchLabels,
          workload.podLabels,
        ),
      );
      const minAvailable = (budget?.spec as { minAvailable?: number } | undefined)?.minAvailable;
      if (!budget) add(name, "has no PodDisruptionBudget");
      else if (!(typeof minAvailable === "number" && minAvailable >= 1)) {
        add(name, "its PodDisruptionBudget sets no minAvailable ≥ 1");
      }
      const antiAffinity = workload.pod.affinity?.podAntiAffinity;
      const terms = [
        ...(antiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []),
        ...(antiAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []).map(
          (weighted) => weighted.podAffinityTerm,
        ),
      ];
      const spreadsOverNodes = terms.some(
        (term) =>
          term.topologyKey === "kubernetes.io/hostname" &&
          selects(term.labelSelector?.matchLabels, workload.podLabels),
      );
      if (!spreadsOverNodes) add(name, "has no pod anti-affinity over nodes for its own replicas");
    }
    for (const cluster of ofKind(manifests, "Cluster")) {
      const instances = (cluster.spec as { instances?: number }).instances ?? 1;
      if (instances < 3) add(objectName(cluster), `has ${instances} Postgres instance(s), not 3`);
    }
    return findings;
  },
};
