import { objectName, workloads } from "../manifest.js";
import { type DeploymentCheck, findingsOf } from "./check.js";

const probeKinds = ["startupProbe", "readinessProbe", "livenessProbe"] as const;

/**
 * A gRPC service is probed the way its clients reach it: native gRPC probes (grpc.health.v1,
 * an integer port — Kubernetes rejects a named one) on the container's gRPC port, for startup,
 * readiness and liveness. An HTTP or TCP probe of a gRPC port would pass while the service
 * reports NOT_SERVING (and, through the mesh proxy, a TCP probe always passes).
 */
export const grpcProbes: DeploymentCheck = {
  id: "grpc-probes",
  rule: "the probes of gRPC services are native gRPC probes on the gRPC port",
  run({ manifests }) {
    const { findings, add } = findingsOf(this.id);
    for (const workload of workloads(manifests)) {
      for (const container of workload.pod.containers) {
        const grpcPort = container.ports?.find((port) => port.name === "grpc");
        if (!grpcPort) continue;
        const where = `${objectName(workload.manifest)} container ${container.name}`;
        for (const kind of probeKinds) {
          const probe = container[kind];
          if (!probe) {
            add(where, `has no ${kind}`);
          } else if (!probe.grpc) {
            add(where, `${kind} is not a gRPC probe`);
          } else if (probe.grpc.port !== grpcPort.containerPort) {
            add(
              where,
              `${kind} probes port ${probe.grpc.port}, the gRPC port is ${grpcPort.containerPort}`,
            );
          }
        }
      }
    }
    return findings;
  },
};
