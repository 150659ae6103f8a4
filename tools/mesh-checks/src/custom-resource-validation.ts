import { Ajv, type ValidateFunction } from "ajv";
import { cloudNativePgSchemas } from "./crd-schemas/cloudnative-pg.js";
import { gatewayApiSchemas } from "./crd-schemas/gateway-api.js";
import { linkerdPolicySchemas } from "./crd-schemas/linkerd-policy.js";

const schemas = { ...linkerdPolicySchemas, ...cloudNativePgSchemas, ...gatewayApiSchemas };

// One compiler for every CRD schema; allErrors so a finding lists every problem of an object.
// strictRequired off: CRDs use `oneOf: [{required: [a]}, {required: [b]}]` beside `properties`.
const ajv = new Ajv({ allErrors: true, strict: true, strictRequired: false });
const validators = new Map<string, ValidateFunction>(
  Object.entries(schemas).map(([key, schema]) => [key, ajv.compile(schema)]),
);

export function isCustomResourceKind(apiVersion: string, kind: string): boolean {
  return validators.has(`${apiVersion}/${kind}`);
}

/**
 * Validates a Linkerd, CloudNativePG or Gateway API object against its CRD schema; unknown
 * fields are errors. Returns problems, empty when valid.
 */
export function validateCustomResource(object: { apiVersion: string; kind: string }): string[] {
  const validate = validators.get(`${object.apiVersion}/${object.kind}`);
  if (!validate) return [`no CRD schema for ${object.apiVersion} ${object.kind}`];
  if (validate(object)) return [];
  return (validate.errors ?? []).map((error) => {
    const at = error.instancePath.replace(/^\//, "").replaceAll("/", ".") || "(root)";
    if (error.keyword === "additionalProperties") {
      const field = (error.params as { additionalProperty: string }).additionalProperty;
      return `unknown field ${at === "(root)" ? field : `${at}.${field}`}`;
    }
    return `${at} ${error.message}`;
  });
}
