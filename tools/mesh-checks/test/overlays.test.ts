import { describe, expect, it } from "vitest";
import { deploymentChecks } from "../src/checks/index.js";
import { objectName } from "../src/manifest.js";
import { overlayNames } from "../src/render-overlay.js";
import { validateAgainstSchemas } from "../src/schema-validation.js";
import { renderedOverlay } from "./rendered.js";

describe.each(overlayNames)("mesh/overlays/%s", (name) => {
  it("renders with kubectl kustomize: every deployable, NATS, both databases, the Linkerd policy", () => {
    const { manifests } = renderedOverlay(name);
    const names = new Set(manifests.map(objectName));
    for (const expected of [
      "Namespace/switchyard",
      "Deployment/user-service",
      "Deployment/order-service",
      "Deployment/gateway",
      "Deployment/web-bff",
      "Job/user-service-migrations",
      "Job/order-service-migrations",
      "StatefulSet/nats",
      "Cluster/user-service-db",
      "Cluster/order-service-db",
      "Server/user-service-grpc",
      "Server/order-service-grpc",
      "NetworkPolicy/default-deny",
    ]) {
      expect(names, `${expected} in mesh/overlays/${name}`).toContain(expected);
    }
    console.info(`mesh/overlays/${name}: ${manifests.length} objects rendered`);
  });

  it("every object is valid against its Kubernetes or CRD schema, with no unknown field", () => {
    expect(validateAgainstSchemas(renderedOverlay(name).manifests)).toEqual([]);
  });

  it.each(deploymentChecks.map((check) => [check.id, check] as const))("passes %s", (_, check) => {
    expect(check.run(renderedOverlay(name))).toEqual([]);
  });
});
