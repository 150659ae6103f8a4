import { arrayOf, type JsonSchema, object, oneOf, string } from "./schema-builders.js";

/**
 * An HTTPRoute match (path, headers, query parameters, method) as the Gateway API defines it.
 * Linkerd's policy.linkerd.io HTTPRoute copies this part of the Gateway API unchanged, so both
 * schemas use this one.
 */
const nameValueMatch = object(
  { type: oneOf("Exact", "RegularExpression"), name: string, value: string },
  ["name", "value"],
);

export const httpRouteMatch: JsonSchema = object({
  path: object({
    type: oneOf("Exact", "PathPrefix", "RegularExpression"),
    value: { type: "string", maxLength: 1024 },
  }),
  headers: arrayOf(nameValueMatch),
  queryParams: arrayOf(nameValueMatch),
  method: oneOf("GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH"),
});
