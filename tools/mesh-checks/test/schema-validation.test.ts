import { describe, expect, it } from "vitest";
import type { Manifest } from "../src/manifest.js";
import { validateAgainstSchemas } from "../src/schema-validation.js";
import { renderedOverlay } from "./rendered.js";
import { containerOf, find } from "./support.js";

function problemsOf(manifests: Manifest[]): string[] {
  return validateAgainstSchemas(manifests).map((f) => `${f.object}: ${f.problem}`);
}

describe("schema validation of rendered objects", () => {
  it("reports a wrong type in a built-in kind (a named port in a gRPC probe)", () => {
    const { manifests } = renderedOverlay("prod");
    const probe = containerOf(manifests, "Deployment", "user-service").readinessProbe;
    (probe?.grpc as { port: unknown }).port = "grpc";
    expect(problemsOf(manifests)).toEqual([
      "Deployment/user-service: spec.template.spec.containers.0.readinessProbe.grpc.port must be integer",
    ]);
  });

  it("reports unknown fields in built-in kinds, which the Kubernetes schema alone lets through", () => {
    const { manifests } = renderedOverlay("prod");
    const container = containerOf(manifests, "Deployment", "gateway") as unknown as Record<
      string,
      unknown
    >;
    container.imagePullPolicyy = "Always";
    (find(manifests, "Service", "order-service").spec as Record<string, unknown>).sessionAfinity =
      "None";
    (find(manifests, "NetworkPolicy", "default-deny").metadata as Record<string, unknown>).label =
      {};
    expect(problemsOf(manifests)).toEqual([
      "Service/order-service: unknown field spec.sessionAfinity",
      "Deployment/gateway: unknown field spec.template.spec.containers.0.imagePullPolicyy",
      "NetworkPolicy/default-deny: unknown field metadata.label",
    ]);
  });

  it("accepts free-form maps (labels, annotations, ConfigMap data) whatever their keys", () => {
    const { manifests } = renderedOverlay("dev");
    const namespace = find(manifests, "Namespace", "switchyard");
    namespace.metadata.annotations = {
      ...namespace.metadata.annotations,
      "example.com/any-key": "x",
    };
    expect(problemsOf(manifests)).toEqual([]);
  });

  it("reports unknown fields and bad values in Linkerd, CloudNativePG and Gateway API objects", () => {
    const { manifests } = renderedOverlay("prod");
    (find(manifests, "Server", "user-service-grpc").spec as Record<string, unknown>).proxyProtocl =
      "gRPC";
    const cluster = find(manifests, "Cluster", "order-service-db").spec as Record<string, unknown>;
    cluster.primaryUpdateStrategy = "automatic";
    (cluster.storage as Record<string, unknown>).sise = "1Gi";
    const route = find(manifests, "HTTPRoute", "switchyard-edge");
    (route.spec as { parentRefs: Record<string, unknown>[] }).parentRefs[0] = { kind: "Gateway" };
    expect(problemsOf(manifests).sort()).toEqual([
      "Cluster/order-service-db: spec.primaryUpdateStrategy must be equal to one of the allowed values",
      "Cluster/order-service-db: unknown field spec.storage.sise",
      "HTTPRoute/switchyard-edge: spec.parentRefs.0 must have required property 'name'",
      "Server/user-service-grpc: unknown field spec.proxyProtocl",
    ]);
  });

  it("reports a kind it has no schema for, rather than passing it unchecked", () => {
    const { manifests } = renderedOverlay("dev");
    manifests.push({ apiVersion: "example.com/v1", kind: "Widget", metadata: { name: "w" } });
    expect(problemsOf(manifests)).toEqual([
      "Widget/w: no schema for example.com/v1 Widget: add one to tools/mesh-checks",
    ]);
  });
});
