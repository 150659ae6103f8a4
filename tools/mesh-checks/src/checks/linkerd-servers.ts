import { serviceAccessPolicy } from "@switchyard/access-policy";
import { type Manifest, objectName, ofKind, selects, workloads } from "../manifest.js";
import { type DeploymentCheck, findingsOf } from "./check.js";

interface ServerSpec {
  podSelector?: { matchLabels?: Record<string, string> };
  port: string | number;
}
interface Reference {
  group?: string;
  kind: string;
  name: string;
}

/**
 * Every gRPC port (a container port named `grpc`) of a meshed workload — and the `http` port of
 * a Connect server of the access policy (web-bff) — is covered by a Linkerd `Server` and by at
 * least one `AuthorizationPolicy`, on the Server itself or on an HTTPRoute of it. A port without
 * them falls back to the namespace's default policy, which the access policy never reviewed.
 */
export const linkerdServerPerGrpcPort: DeploymentCheck = {
  id: "linkerd-server-per-grpc-port",
  rule: "every gRPC port (and Connect server port) has a Linkerd Server and an AuthorizationPolicy",
  run({ manifests }) {
    const { findings, add } = findingsOf(this.id);
    const servers = ofKind(manifests, "Server");
    const routes = ofKind(manifests, "HTTPRoute").filter((route) =>
      route.apiVersion.startsWith("policy.linkerd.io/"),
    );
    const authorizations = ofKind(manifests, "AuthorizationPolicy");
    const authorized = (target: Manifest) =>
      authorizations.some((authorization) => {
        const reference = (authorization.spec as { targetRef: Reference }).targetRef;
        return reference.kind === target.kind && reference.name === target.metadata.name;
      });

    for (const workload of workloads(manifests)) {
      const name = workload.podLabels["app.kubernetes.io/name"] ?? "";
      const connectServer =
        (serviceAccessPolicy.servers as Record<string, { protocol?: string } | undefined>)[name]
          ?.protocol === "connect";
      const servedPort = connectServer ? "http" : "grpc";
      for (const container of workload.pod.containers) {
        for (const port of container.ports ?? []) {
          if (port.name !== servedPort) continue;
          const where = `${objectName(workload.manifest)} port ${port.name} (${port.containerPort})`;
          const covering = servers.filter((server) => {
            const spec = server.spec as ServerSpec;
            return (
              selects(spec.podSelector?.matchLabels, workload.podLabels) &&
              (spec.port === port.name || spec.port === port.containerPort)
            );
          });
          if (covering.length === 0) {
            add(objectName(workload.manifest), `${where} has no Linkerd Server`);
            continue;
          }
          const hasAuthorization = covering.some(
            (server) =>
              authorized(server) ||
              routes.some(
                (route) =>
                  (route.spec as { parentRefs?: Reference[] }).parentRefs?.some(
                    (parent) => parent.kind === "Server" && parent.name === server.metadata.name,
                  ) && authorized(route),
              ),
          );
          if (!hasAuthorization) {
            add(objectName(workload.manifest), `${where}: no AuthorizationPolicy for its Server`);
          }
        }
      }
    }
    return findings;
  },
};
