import { environmentOf, type Manifest, objectName, ofKind, workloads } from "../manifest.js";
import { type DeploymentCheck, findingsOf } from "./check.js";

/**
 * NATS keeps what it acknowledged: three JetStream servers, every write fsynced before the
 * PubAck (`sync_interval: always`), and every service that creates a stream asks for three
 * replicas (EVENTS_STREAM_REPLICAS=3), so an acknowledged event survives losing a node.
 */
export const natsDurability: DeploymentCheck = {
  id: "nats-durability",
  rule: "NATS runs 3 JetStream nodes with sync_interval: always; streams are R3",
  run({ manifests }) {
    const { findings, add } = findingsOf(this.id);
    const statefulSet = ofKind(manifests, "StatefulSet").find((s) => s.metadata.name === "nats");
    if (!statefulSet) {
      add("StatefulSet/nats", "is not rendered");
      return findings;
    }
    const replicas = (statefulSet.spec as { replicas?: number }).replicas ?? 1;
    if (replicas !== 3) add(objectName(statefulSet), `runs ${replicas} servers, not 3`);
    const configMapName = natsConfigMapName(statefulSet);
    const configMap = ofKind(manifests, "ConfigMap").find((c) => c.metadata.name === configMapName);
    const config = Object.values((configMap?.data as Record<string, string>) ?? {}).join("\n");
    if (!/^\s*sync_interval:\s*always\s*$/m.test(config)) {
      add(
        `ConfigMap/${configMapName ?? "?"}`,
        "the JetStream config does not set sync_interval: always",
      );
    }
    for (const workload of workloads(manifests)) {
      for (const container of workload.pod.containers) {
        const environment = environmentOf(manifests, container);
        if (environment.NATS_URL === undefined) continue;
        if (environment.EVENTS_STREAM_REPLICAS !== "3") {
          add(
            objectName(workload.manifest),
            `uses NATS with EVENTS_STREAM_REPLICAS=${environment.EVENTS_STREAM_REPLICAS ?? "(unset: 1)"}, not 3`,
          );
        }
      }
    }
    return findings;
  },
};

function natsConfigMapName(statefulSet: Manifest): string | undefined {
  const volumes =
    (statefulSet.spec as { template: { spec: { volumes?: { configMap?: { name: string } }[] } } })
      .template.spec.volumes ?? [];
  return volumes.find((volume) => volume.configMap)?.configMap?.name;
}
