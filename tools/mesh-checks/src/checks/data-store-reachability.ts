import { environmentOf, objectName, ofKind, workloads } from "../manifest.js";
import { type DeploymentCheck, findingsOf } from "./check.js";
import { connectionAllowed } from "./network-reachability.js";

const postgresPort = 5432;
const natsClientPort = 4222;

/**
 * Data ownership holds on the network too: a Postgres cluster accepts connections only from
 * the workloads that mount its credentials (`<cluster>-app`: its service and that service's
 * migrations Job), and NATS only from the workloads configured with a NATS_URL. Everything
 * else — the other service, the gateway, the BFF — cannot even open a connection.
 */
export const dataStoreReachability: DeploymentCheck = {
  id: "data-store-reachability",
  rule: "each database is reachable only by the workloads holding its credentials; NATS only by its clients",
  run({ manifests }) {
    const { findings, add } = findingsOf(this.id);
    const policies = ofKind(manifests, "NetworkPolicy");
    const pods = workloads(manifests).filter(
      (workload) => workload.manifest.metadata.name !== "nats",
    );
    for (const cluster of ofKind(manifests, "Cluster")) {
      const database = { "cnpg.io/cluster": cluster.metadata.name };
      const secret = `${cluster.metadata.name}-app`;
      for (const workload of pods) {
        const holdsCredentials = (workload.pod.volumes ?? []).some(
          (volume) => volume.secret?.secretName === secret,
        );
        const reachable = connectionAllowed(policies, workload.podLabels, database, postgresPort);
        if (reachable && !holdsCredentials) {
          add(
            objectName(workload.manifest),
            `can connect to ${objectName(cluster)} without holding its credentials`,
          );
        } else if (!reachable && holdsCredentials) {
          add(
            objectName(workload.manifest),
            `holds ${secret} but cannot connect to ${objectName(cluster)}`,
          );
        }
      }
    }
    const natsServer = ofKind(manifests, "StatefulSet").find((s) => s.metadata.name === "nats");
    const natsLabels = (
      natsServer?.spec as
        | { template?: { metadata?: { labels?: Record<string, string> } } }
        | undefined
    )?.template?.metadata?.labels;
    if (natsLabels) {
      for (const workload of pods) {
        const client = workload.pod.containers.some(
          (container) => environmentOf(manifests, container).NATS_URL !== undefined,
        );
        const reachable = connectionAllowed(
          policies,
          workload.podLabels,
          natsLabels,
          natsClientPort,
        );
        if (reachable && !client)
          add(objectName(workload.manifest), "can connect to NATS but is not a NATS client");
        else if (!reachable && client)
          add(objectName(workload.manifest), "is a NATS client but cannot connect to NATS");
      }
    }
    return findings;
  },
};
