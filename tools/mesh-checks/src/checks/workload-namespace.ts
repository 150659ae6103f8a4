import { workloadNamespace } from "@switchyard/workload-identity";
import { objectName } from "../manifest.js";
import { type DeploymentCheck, findingsOf } from "./check.js";

/** Kinds without a namespace. */
const clusterScoped = new Set(["Namespace"]);

/**
 * Everything lands in the one namespace the identities name (`switchyard`: Linkerd identities
 * are `<sa>.switchyard.serviceaccount…`, network policies select pods of their own namespace).
 * An object without a namespace would be applied to whatever namespace kubectl's context names.
 */
export const workloadNamespaceCheck: DeploymentCheck = {
  id: "workload-namespace",
  rule: `every namespaced object is in namespace ${workloadNamespace}`,
  run({ manifests }) {
    const { findings, add } = findingsOf(this.id);
    for (const manifest of manifests) {
      if (clusterScoped.has(manifest.kind)) continue;
      const namespace = manifest.metadata.namespace;
      if (namespace !== workloadNamespace) {
        add(objectName(manifest), namespace ? `is in namespace ${namespace}` : "has no namespace");
      }
    }
    return findings;
  },
};
