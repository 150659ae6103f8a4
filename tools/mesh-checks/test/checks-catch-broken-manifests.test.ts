import { describe, expect, it } from "vitest";
import { dataStoreReachability } from "../src/checks/data-store-reachability.js";
import { drainOrder } from "../src/checks/drain-order.js";
import { grpcProbes } from "../src/checks/grpc-probes.js";
import type { DeploymentCheck } from "../src/checks/index.js";
import { deploymentChecks } from "../src/checks/index.js";
import { linkerdServerPerGrpcPort } from "../src/checks/linkerd-servers.js";
import { natsDurability } from "../src/checks/nats-durability.js";
import { networkEdgesMatchAccessPolicy } from "../src/checks/network-edges.js";
import { nonRoot } from "../src/checks/non-root.js";
import { pinnedImages } from "../src/checks/pinned-images.js";
import { productionAvailability } from "../src/checks/production-availability.js";
import { secretsAsFiles } from "../src/checks/secrets-as-files.js";
import { serviceAccountsAreIdentities } from "../src/checks/service-account-identities.js";
import { workloadNamespaceCheck } from "../src/checks/workload-namespace.js";
import type { Manifest } from "../src/manifest.js";
import { renderedOverlay } from "./rendered.js";
import { containerOf, find, podOf, remove } from "./support.js";

const checksShownToFail = new Set<string>();

/** Runs `check` on the prod render after `breakIt` changed a private copy of it. */
function problemsAfter(check: DeploymentCheck, breakIt: (manifests: Manifest[]) => void): string[] {
  checksShownToFail.add(check.id);
  const overlay = renderedOverlay("prod");
  expect(check.run(overlay), "the unbroken render must pass").toEqual([]);
  breakIt(overlay.manifests);
  return check.run(overlay).map((finding) => `${finding.object}: ${finding.problem}`);
}

// Each check must be able to fail: one broken render (at least) per check.
describe("each deployment check fails on a broken manifest", () => {
  it("workload-namespace: an object without a namespace, one in another namespace", () => {
    const problems = problemsAfter(workloadNamespaceCheck, (manifests) => {
      delete find(manifests, "StatefulSet", "nats").metadata.namespace;
      find(manifests, "Cluster", "user-service-db").metadata.namespace = "default";
    });
    expect(problems).toEqual([
      "StatefulSet/nats: has no namespace",
      "Cluster/user-service-db: is in namespace default",
    ]);
  });

  it("linkerd-server-per-grpc-port: a gRPC port without a Server", () => {
    const problems = problemsAfter(linkerdServerPerGrpcPort, (manifests) =>
      remove(manifests, "Server", "user-service-grpc"),
    );
    expect(problems).toEqual([
      "Deployment/user-service: Deployment/user-service port grpc (50051) has no Linkerd Server",
    ]);
  });

  it("linkerd-server-per-grpc-port: a Connect server's port without a Server", () => {
    const problems = problemsAfter(linkerdServerPerGrpcPort, (manifests) =>
      remove(manifests, "Server", "web-bff-http"),
    );
    expect(problems).toEqual([
      "Deployment/web-bff: Deployment/web-bff port http (8081) has no Linkerd Server",
    ]);
  });

  it("linkerd-server-per-grpc-port: a Server without any AuthorizationPolicy", () => {
    const problems = problemsAfter(linkerdServerPerGrpcPort, (manifests) => {
      for (const authorization of manifests.filter((m) => m.kind === "AuthorizationPolicy")) {
        if (authorization.metadata.name.startsWith("order-service-")) {
          manifests.splice(manifests.indexOf(authorization), 1);
        }
      }
    });
    expect(problems).toEqual([
      "Deployment/order-service: Deployment/order-service port grpc (50052): no AuthorizationPolicy for its Server",
    ]);
  });

  it("service-accounts-are-identities: a Deployment running as an account the policy does not know", () => {
    const problems = problemsAfter(serviceAccountsAreIdentities, (manifests) => {
      podOf(manifests, "Deployment", "web-bff").serviceAccountName = "reporting";
      manifests.push({ apiVersion: "v1", kind: "ServiceAccount", metadata: { name: "reporting" } });
    });
    expect(problems).toEqual([
      "ServiceAccount/reporting: is not a workload of the access policy",
      "Deployment/web-bff: runs as ServiceAccount reporting: a Deployment's identity is its own name",
    ]);
  });

  it("service-accounts-are-identities: a policy identity without a ServiceAccount", () => {
    const problems = problemsAfter(serviceAccountsAreIdentities, (manifests) =>
      remove(manifests, "ServiceAccount", "order-service"),
    );
    expect(problems).toContain(
      "MeshTLSAuthentication/user-service-get-user: names order-service.switchyard.serviceaccount.identity.linkerd.cluster.local, which no rendered ServiceAccount has",
    );
    expect(problems).toContain(
      "Deployment/order-service: runs as ServiceAccount order-service, which is not rendered",
    );
  });

  it("grpc-probes: an HTTP readiness probe and a named gRPC port", () => {
    const problems = problemsAfter(grpcProbes, (manifests) => {
      const container = containerOf(manifests, "Deployment", "user-service");
      container.readinessProbe = { httpGet: { path: "/readyz", port: 50051 } };
      container.livenessProbe = { grpc: { port: 50052 } };
      delete containerOf(manifests, "Deployment", "order-service").startupProbe;
    });
    expect(problems).toEqual([
      "Deployment/order-service container order-service: has no startupProbe",
      "Deployment/user-service container user-service: readinessProbe is not a gRPC probe",
      "Deployment/user-service container user-service: livenessProbe probes port 50052, the gRPC port is 50051",
    ]);
  });

  it("drain-order: a grace period shorter than the drain, a proxy that leaves first", () => {
    const problems = problemsAfter(drainOrder, (manifests) => {
      podOf(manifests, "Deployment", "gateway").terminationGracePeriodSeconds = 12;
      const template = (
        find(manifests, "Deployment", "user-service").spec as {
          template: { metadata: { annotations: Record<string, string> } };
        }
      ).template;
      template.metadata.annotations["config.alpha.linkerd.io/proxy-wait-before-exit-seconds"] = "8";
    });
    expect(problems).toEqual([
      "Deployment/gateway: drain delay + drain deadline (15 s) is not below terminationGracePeriodSeconds (12 s)",
      "Deployment/gateway: the proxy waits 20 s, beyond terminationGracePeriodSeconds (12 s)",
      "Deployment/user-service: the proxy waits 8 s, the app drains for up to 15 s",
    ]);
  });

  it("drain-order: an app drain delay key counts towards the drain", () => {
    const problems = problemsAfter(drainOrder, (manifests) => {
      const data = find(manifests, "ConfigMap", "order-service-config").data as Record<
        string,
        string
      >;
      data.SHUTDOWN_DRAIN_DELAY_MS = "6000";
    });
    expect(problems).toEqual([
      "Deployment/order-service: the proxy waits 20 s, the app drains for up to 21 s",
    ]);
  });

  it("non-root: a container that may run as root", () => {
    const problems = problemsAfter(nonRoot, (manifests) => {
      podOf(manifests, "Deployment", "gateway").securityContext = {};
      const container = containerOf(manifests, "Deployment", "gateway");
      container.securityContext = { runAsUser: 0, capabilities: { add: ["NET_ADMIN"] } };
    });
    expect(problems).toEqual([
      "Deployment/gateway container gateway: does not set runAsNonRoot: true",
      "Deployment/gateway container gateway: runs as UID 0",
      "Deployment/gateway container gateway: does not set allowPrivilegeEscalation: false",
      "Deployment/gateway container gateway: does not set readOnlyRootFilesystem: true",
      "Deployment/gateway container gateway: does not drop ALL capabilities",
      "Deployment/gateway container gateway: adds capabilities NET_ADMIN",
    ]);
  });

  it("non-root: runAsNonRoot missing on pod and container", () => {
    const problems = problemsAfter(nonRoot, (manifests) => {
      podOf(manifests, "Job", "user-service-migrations").securityContext = {};
      const context = containerOf(manifests, "Job", "user-service-migrations").securityContext;
      if (context) delete context.runAsNonRoot;
    });
    expect(problems).toEqual([
      "Job/user-service-migrations container migrations: does not set runAsNonRoot: true",
    ]);
  });

  it("pinned-images: latest, no tag", () => {
    const problems = problemsAfter(pinnedImages, (manifests) => {
      containerOf(manifests, "Deployment", "web-bff").image = "switchyard/web-bff:latest";
      containerOf(manifests, "StatefulSet", "nats").image = "registry.example.com:5000/nats";
    });
    expect(problems).toEqual([
      "Deployment/web-bff container web-bff: image switchyard/web-bff:latest is tagged latest",
      "StatefulSet/nats container nats: image registry.example.com:5000/nats has no tag (it means latest)",
    ]);
  });

  it("network-edges-match-access-policy: an edge the access policy does not grant", () => {
    const problems = problemsAfter(networkEdgesMatchAccessPolicy, (manifests) => {
      const ingress = find(manifests, "NetworkPolicy", "order-service-ingress").spec as {
        ingress: { from: unknown[] }[];
      };
      ingress.ingress[0]?.from.push({
        podSelector: { matchLabels: { "app.kubernetes.io/name": "user-service" } },
      });
      manifests.push({
        apiVersion: "networking.k8s.io/v1",
        kind: "NetworkPolicy",
        metadata: { name: "user-service-egress" },
        spec: {
          podSelector: { matchLabels: { "app.kubernetes.io/name": "user-service" } },
          policyTypes: ["Egress"],
          egress: [
            {
              to: [{ podSelector: { matchLabels: { "app.kubernetes.io/name": "order-service" } } }],
            },
          ],
        },
      });
    });
    expect(problems).toEqual([
      "NetworkPolicy/*: user-service→order-service is open, but the access policy lets user-service call nothing on order-service",
    ]);
  });

  it("network-edges-match-access-policy: no default deny, a granted edge closed, a public service", () => {
    const problems = problemsAfter(networkEdgesMatchAccessPolicy, (manifests) => {
      remove(manifests, "NetworkPolicy", "default-deny");
      remove(manifests, "NetworkPolicy", "order-service-egress");
      const ingress = find(manifests, "NetworkPolicy", "web-bff-ingress").spec as {
        ingress: Record<string, unknown>[];
      };
      ingress.ingress.push({ ports: [{ protocol: "TCP", port: 8081 }] });
    });
    expect(problems).toEqual([
      "NetworkPolicy/*: no default-deny policy (empty podSelector, Ingress and Egress, no rules)",
      "NetworkPolicy/*: order-service→user-service is in the access policy but closed (order-service egress)",
      "NetworkPolicy/web-bff-ingress: lets anyone connect to web-bff; only gateway is public",
    ]);
  });

  it("data-store-reachability: another service reaches a database, a client cannot reach NATS", () => {
    const problems = problemsAfter(dataStoreReachability, (manifests) => {
      const egress = find(manifests, "NetworkPolicy", "user-service-db-clients-egress").spec as {
        podSelector: { matchExpressions: { values: string[] }[] };
      };
      egress.podSelector.matchExpressions[0]?.values.push("gateway");
      const ingress = find(manifests, "NetworkPolicy", "user-service-db-ingress").spec as {
        ingress: { from: { podSelector: { matchExpressions: { values: string[] }[] } }[] }[];
      };
      ingress.ingress[0]?.from[0]?.podSelector.matchExpressions[0]?.values.push("gateway");
      remove(manifests, "NetworkPolicy", "nats-clients-egress");
    });
    expect(problems).toEqual([
      "Deployment/gateway: can connect to Cluster/user-service-db without holding its credentials",
      "Deployment/gateway: is a NATS client but cannot connect to NATS",
      "Deployment/order-service: is a NATS client but cannot connect to NATS",
      "Deployment/user-service: is a NATS client but cannot connect to NATS",
      "Deployment/web-bff: is a NATS client but cannot connect to NATS",
    ]);
  });

  it("nats-durability: the default fsync interval, R1 streams, two servers", () => {
    const problems = problemsAfter(natsDurability, (manifests) => {
      const config = find(manifests, "ConfigMap", "nats-config").data as Record<string, string>;
      config["nats.conf"] =
        config["nats.conf"]?.replace("sync_interval: always", "sync_interval: 2m") ?? "";
      (find(manifests, "StatefulSet", "nats").spec as { replicas: number }).replicas = 2;
      const data = find(manifests, "ConfigMap", "user-service-config").data as Record<
        string,
        string
      >;
      delete data.EVENTS_STREAM_REPLICAS;
    });
    expect(problems).toEqual([
      "StatefulSet/nats: runs 2 servers, not 3",
      expect.stringMatching(
        /^ConfigMap\/nats-config-\w+: the JetStream config does not set sync_interval: always$/,
      ),
      "Deployment/user-service: uses NATS with EVENTS_STREAM_REPLICAS=(unset: 1), not 3",
    ]);
  });

  it("secrets-as-files: a password in the environment, a file from nowhere", () => {
    const problems = problemsAfter(secretsAsFiles, (manifests) => {
      const container = containerOf(manifests, "Deployment", "order-service");
      container.env = [
        {
          name: "DATABASE_URL",
          valueFrom: { secretKeyRef: { name: "order-service-db-app", key: "uri" } },
        },
        { name: "JWKS_FILE", value: "/etc/jwks/keys.json" },
      ];
      const volume = podOf(manifests, "Deployment", "user-service").volumes?.find(
        (v) => v.name === "database",
      );
      if (volume?.secret) volume.secret.secretName = "user-db-credentials";
    });
    expect(problems).toEqual([
      "Deployment/order-service container order-service: env DATABASE_URL comes from a secret: mount it and use DATABASE_URL_FILE",
      "Deployment/order-service container order-service: JWKS_FILE=/etc/jwks/keys.json is not under a mounted volume",
      "Deployment/user-service container user-service: DATABASE_URL_FILE reads secret user-db-credentials, which nothing renders or writes",
    ]);
  });

  it("production-availability: no HPA, a fixed replica count, no PDB floor, one Postgres instance", () => {
    const problems = problemsAfter(productionAvailability, (manifests) => {
      remove(manifests, "HorizontalPodAutoscaler", "gateway");
      (find(manifests, "Deployment", "web-bff").spec as { replicas: number }).replicas = 2;
      const budget = find(manifests, "PodDisruptionBudget", "user-service").spec as Record<
        string,
        unknown
      >;
      delete budget.minAvailable;
      budget.maxUnavailable = 1;
      delete podOf(manifests, "Deployment", "order-service").affinity;
      (find(manifests, "Cluster", "order-service-db").spec as { instances: number }).instances = 1;
    });
    expect(problems).toEqual([
      "Deployment/gateway: has no HorizontalPodAutoscaler",
      "Deployment/order-service: has no pod anti-affinity over nodes for its own replicas",
      "Deployment/user-service: its PodDisruptionBudget sets no minAvailable ≥ 1",
      "Deployment/web-bff: sets spec.replicas although an HPA owns the count",
      "Cluster/order-service-db: has 1 Postgres instance(s), not 3",
    ]);
  });

  // Runs last (tests in a file run in order): a new check without a failing case fails here.
  it("every check in deploymentChecks has a failing case above", () => {
    expect([...checksShownToFail].sort()).toEqual(deploymentChecks.map((check) => check.id).sort());
  });
});
