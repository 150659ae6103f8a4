import { httpRouteMatch } from "./http-route-match.js";
import {
  arrayOf,
  customResource,
  group,
  integer,
  type JsonSchema,
  kind,
  name,
  object,
  pattern,
  string,
} from "./schema-builders.js";

/**
 * Gateway API `HTTPRoute` (gateway.networking.k8s.io/v1), written from the standard-channel CRD
 * of kubernetes-sigs/gateway-api (config/crd/standard/gateway.networking.k8s.io_httproutes.yaml):
 * parentRefs, hostnames, rules with matches, backendRefs and timeouts, with the CRD's types,
 * enums and patterns. Filters are not covered (add them from the CRD when a route uses one).
 */
const hostname = pattern(
  "^(\\*\\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$",
  253,
);
const namespace = pattern("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", 63);
const port = integer(1, 65535);

const httpRoute = customResource(
  "gateway.networking.k8s.io/v1",
  "HTTPRoute",
  object({
    parentRefs: arrayOf(
      object({ group, kind, namespace, name, sectionName: string, port }, ["name"]),
    ),
    hostnames: arrayOf(hostname),
    rules: arrayOf(
      object({
        name: string,
        matches: arrayOf(httpRouteMatch),
        backendRefs: arrayOf(
          object({ group, kind, name, namespace, port, weight: integer(0, 1000000) }, ["name"]),
        ),
        timeouts: object({ request: string, backendRequest: string }),
      }),
    ),
  }),
);

export const gatewayApiSchemas: Record<string, JsonSchema> = {
  "gateway.networking.k8s.io/v1/HTTPRoute": httpRoute,
};
