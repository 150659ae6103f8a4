import { objectName, workloads } from "../manifest.js";
import { type DeploymentCheck, findingsOf } from "./check.js";

/**
 * No container runs as root or can become root: runAsNonRoot (pod or container), no UID 0,
 * no privilege escalation, not privileged, a read-only root filesystem and every capability
 * dropped.
 */
export const nonRoot: DeploymentCheck = {
  id: "non-root",
  rule: "no container runs as root (non-root, no escalation, read-only root, drop ALL)",
  run({ manifests }) {
    const { findings, add } = findingsOf(this.id);
    for (const workload of workloads(manifests)) {
      const pod = workload.pod.securityContext ?? {};
      for (const container of [
        ...(workload.pod.initContainers ?? []),
        ...workload.pod.containers,
      ]) {
        const context = container.securityContext ?? {};
        const where = `${objectName(workload.manifest)} container ${container.name}`;
        const runAsNonRoot = context.runAsNonRoot ?? pod.runAsNonRoot;
        const runAsUser = context.runAsUser ?? pod.runAsUser;
        if (runAsNonRoot !== true) add(where, "does not set runAsNonRoot: true");
        if (runAsUser === 0) add(where, "runs as UID 0");
        if (context.privileged === true) add(where, "is privileged");
        if (context.allowPrivilegeEscalation !== false) {
          add(where, "does not set allowPrivilegeEscalation: false");
        }
        if (context.readOnlyRootFilesystem !== true) {
          add(where, "does not set readOnlyRootFilesystem: true");
        }
        if (!context.capabilities?.drop?.includes("ALL"))
          add(where, "does not drop ALL capabilities");
        if ((context.capabilities?.add ?? []).length > 0) {
          add(where, `adds capabilities ${context.capabilities?.add?.join(", ")}`);
        }
      }
    }
    return findings;
  },
};
