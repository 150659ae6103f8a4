import { isCustomResourceKind, validateCustomResource } from "./custom-resource-validation.js";
import { isBuiltInKind, validateBuiltIn } from "./kubernetes-schema-validation.js";
import { type Finding, type Manifest, objectName } from "./manifest.js";

/**
 * Every object against its schema: built-in kinds against the Kubernetes OpenAPI schema
 * (kubernetes-models), Linkerd, CloudNativePG and Gateway API kinds against their CRDs. Unknown
 * fields are findings in both; so is a kind with no schema here (add one before using it).
 */
export function validateAgainstSchemas(manifests: Manifest[]): Finding[] {
  const findings: Finding[] = [];
  for (const manifest of manifests) {
    const problems = isBuiltInKind(manifest.apiVersion, manifest.kind)
      ? validateBuiltIn(manifest)
      : isCustomResourceKind(manifest.apiVersion, manifest.kind)
        ? validateCustomResource(manifest)
        : [`no schema for ${manifest.apiVersion} ${manifest.kind}: add one to tools/mesh-checks`];
    for (const problem of problems) {
      findings.push({ check: "schema", object: objectName(manifest), problem });
    }
  }
  return findings;
}
