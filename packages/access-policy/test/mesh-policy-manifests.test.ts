import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import {
  decideAccess,
  linkerdApiVersions,
  type MeshWorkload,
  meshPolicyDirectory,
  meshWorkloads,
  renderLinkerdPolicy,
  serviceAccessPolicy,
  staleManifestFiles,
} from "../src/index.js";

interface Resource {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string };
  spec: Record<string, unknown>;
}

type Ref = { group?: string; kind: string; name: string };

function committedResources(): Resource[] {
  const resources: Resource[] = [];
  for (const file of ["shared.yaml", "user-service.yaml", "order-service.yaml", "web-bff.yaml"]) {
    const documents = parseAllDocuments(readFileSync(join(meshPolicyDirectory, file), "utf8"));
    for (const document of documents) {
      expect(document.errors, `${file} must be valid YAML`).toEqual([]);
      const value = document.toJS() as Resource | null;
      if (value) resources.push(value);
    }
  }
  return resources;
}

describe("generated Linkerd policy (mesh/policy/)", () => {
  it("is up to date with the access policy", () => {
    const stale = staleManifestFiles(meshPolicyDirectory, renderLinkerdPolicy());
    expect(stale, `mesh/policy is stale (${stale.join(", ")}): run npm run mesh:generate`).toEqual(
      [],
    );
  });

  it("parses as YAML, with the Linkerd policy API versions, all in the switchyard namespace", () => {
    const resources = committedResources();
    expect(new Set(resources.map((resource) => resource.kind))).toEqual(
      new Set(Object.keys(linkerdApiVersions)),
    );
    for (const resource of resources) {
      expect(resource.apiVersion).toBe(
        linkerdApiVersions[resource.kind as keyof typeof linkerdApiVersions],
      );
      expect(resource.metadata.namespace).toBe("switchyard");
    }
    const kustomization = parseAllDocuments(
      readFileSync(join(meshPolicyDirectory, "kustomization.yaml"), "utf8"),
    )[0]?.toJS();
    expect(kustomization).toMatchObject({
      apiVersion: "kustomize.config.k8s.io/v1beta1",
      resources: ["shared.yaml", "order-service.yaml", "user-service.yaml", "web-bff.yaml"],
    });
  });

  const kubectl = (() => {
    try {
      execFileSync("kubectl", ["version", "--client"], { stdio: "ignore" });
      return true;
    } catch {
      return false;
    }
  })();

  it.skipIf(!kubectl)("renders with kubectl kustomize (an independent client)", () => {
    const rendered = execFileSync("kubectl", ["kustomize", meshPolicyDirectory], {
      encoding: "utf8",
    });
    const kinds = parseAllDocuments(rendered).map((document) => document.toJS()?.kind);
    expect(kinds).toHaveLength(committedResources().length);
    expect(kinds).toContain("AuthorizationPolicy");
  });

  it("every reference names a resource that exists", () => {
    const resources = committedResources();
    const exists = (ref: Ref) =>
      resources.some(
        (resource) =>
          resource.kind === ref.kind &&
          resource.metadata.name === ref.name &&
          (ref.group ?? "policy.linkerd.io") === resource.apiVersion.split("/")[0],
      );
    for (const resource of resources) {
      const refs: Ref[] =
        resource.kind === "HTTPRoute"
          ? (resource.spec.parentRefs as Ref[])
          : resource.kind === "AuthorizationPolicy"
            ? [
                resource.spec.targetRef as Ref,
                ...(resource.spec.requiredAuthenticationRefs as Ref[]),
              ]
            : [];
      for (const ref of refs) {
        expect(
          exists(ref),
          `${resource.kind}/${resource.metadata.name} → ${ref.kind}/${ref.name}`,
        ).toBe(true);
      }
    }
  });

  it("grants in the mesh exactly what the in-process interceptor grants", () => {
    const resources = committedResources();
    const byName = (kind: string, name: string) =>
      resources.find((resource) => resource.kind === kind && resource.metadata.name === name);
    const meshAllows = (server: MeshWorkload, path: string, caller: string | undefined) => {
      const routes = resources.filter(
        (resource) =>
          resource.kind === "HTTPRoute" &&
          (resource.spec.parentRefs as Ref[]).some(
            (ref) => ref.name === `${server}-grpc` || ref.name === `${server}-http`,
          ) &&
          (resource.spec.rules as { matches: { path: { value: string } }[] }[]).some((rule) =>
            rule.matches.some((match) => match.path.value === path),
          ),
      );
      return routes.some((route) =>
        resources
          .filter(
            (resource) =>
              resource.kind === "AuthorizationPolicy" &&
              (resource.spec.targetRef as Ref).name === route.metadata.name,
          )
          .some((authorization) =>
            (authorization.spec.requiredAuthenticationRefs as Ref[]).every((ref) => {
              const authentication = byName(ref.kind, ref.name);
              if (ref.kind === "NetworkAuthentication") return authentication !== undefined;
              if (caller === undefined) return false;
              const identity = `${caller}.switchyard.serviceaccount.identity.linkerd.cluster.local`;
              return ((authentication?.spec.identities as string[]) ?? []).some(
                (allowed) =>
                  allowed === identity ||
                  (allowed.startsWith("*.") && identity.endsWith(allowed.slice(1))),
              );
            }),
          ),
      );
    };

    let compared = 0;
    for (const [server, serverPolicy] of Object.entries(serviceAccessPolicy.servers)) {
      const paths = [
        ...Object.keys(serviceAccessPolicy.platform),
        ...Object.keys(serviceAccessPolicy.connectPlatform),
        ...Object.entries(serverPolicy?.services ?? {}).flatMap(([service, methods]) =>
          Object.keys(methods).map((method) => `/${service}/${method}`),
        ),
      ];
      for (const path of paths) {
        for (const caller of [...meshWorkloads, "devstack", undefined]) {
          const inProcess = decideAccess(serviceAccessPolicy, server as MeshWorkload, path, caller);
          expect(
            meshAllows(server as MeshWorkload, path, caller),
            `${caller ?? "no identity"} → ${server}${path}`,
          ).toBe(inProcess.allowed);
          compared += 1;
        }
      }
    }
    expect(compared).toBeGreaterThan(60);
  });
});
