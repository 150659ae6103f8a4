/**
 * Small builders for the CRD schemas in this folder. Every object is closed
 * (`additionalProperties: false`): a field the CRD does not declare is an error, as it would be
 * (silently pruned) on a real API server.
 */
export type JsonSchema = Record<string, unknown>;

export function object(
  properties: Record<string, JsonSchema>,
  required: string[] = [],
): JsonSchema {
  return {
    type: "object",
    properties,
    additionalProperties: false,
    ...(required.length > 0 ? { required } : {}),
  };
}

export const string: JsonSchema = { type: "string" };
export const boolean: JsonSchema = { type: "boolean" };
export const integer = (minimum?: number, maximum?: number): JsonSchema => ({
  type: "integer",
  ...(minimum === undefined ? {} : { minimum }),
  ...(maximum === undefined ? {} : { maximum }),
});
export const intOrString: JsonSchema = { anyOf: [{ type: "integer" }, { type: "string" }] };
export const stringMap: JsonSchema = { type: "object", additionalProperties: { type: "string" } };
export const oneOf = (...values: string[]): JsonSchema => ({ type: "string", enum: values });
export const arrayOf = (items: JsonSchema, minItems?: number): JsonSchema => ({
  type: "array",
  items,
  ...(minItems === undefined ? {} : { minItems }),
});
export const pattern = (regex: string, maxLength?: number): JsonSchema => ({
  type: "string",
  pattern: regex,
  ...(maxLength === undefined ? {} : { maxLength }),
});

/** The metadata fields a namespaced object may carry in a manifest. */
export const objectMeta = object(
  {
    name: pattern("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$", 253),
    namespace: string,
    labels: stringMap,
    annotations: stringMap,
  },
  ["name"],
);

/** A whole custom resource: apiVersion, kind, metadata and its spec. */
export function customResource(apiVersion: string, kind: string, spec: JsonSchema): JsonSchema {
  return object(
    {
      apiVersion: { const: apiVersion },
      kind: { const: kind },
      metadata: objectMeta,
      spec,
    },
    ["apiVersion", "kind", "metadata", "spec"],
  );
}

/** Kubernetes group / kind / name reference fields (Gateway API and Linkerd policy). */
export const group = pattern(
  "^$|^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$",
  253,
);
export const kind = { ...pattern("^[a-zA-Z]([-a-zA-Z0-9]*[a-zA-Z0-9])?$", 63), minLength: 1 };
export const name = { type: "string", minLength: 1, maxLength: 253 };
