import { objectName, workloads } from "../manifest.js";
import { type DeploymentCheck, findingsOf } from "./check.js";

/**
 * Every image names a version: a tag other than `latest`, or a digest. Without one, two nodes
 * can run different code under the same manifest and a rollback has nothing to go back to.
 */
export const pinnedImages: DeploymentCheck = {
  id: "pinned-images",
  rule: "image tags are pinned (never latest, never missing)",
  run({ manifests }) {
    const { findings, add } = findingsOf(this.id);
    for (const workload of workloads(manifests)) {
      for (const container of [
        ...(workload.pod.initContainers ?? []),
        ...workload.pod.containers,
      ]) {
        const image = container.image ?? "";
        const where = `${objectName(workload.manifest)} container ${container.name}`;
        if (image.includes("@sha256:")) continue;
        const lastSegment = image.slice(image.lastIndexOf("/") + 1);
        const tag = lastSegment.includes(":")
          ? lastSegment.slice(lastSegment.indexOf(":") + 1)
          : "";
        if (tag === "") add(where, `image ${image} has no tag (it means latest)`);
        else if (tag === "latest") add(where, `image ${image} is tagged latest`);
      }
    }
    return findings;
  },
};
