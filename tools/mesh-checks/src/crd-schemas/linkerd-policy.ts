import { httpRouteMatch } from "./http-route-match.js";
import {
  arrayOf,
  customResource,
  group,
  intOrString,
  type JsonSchema,
  kind,
  name,
  object,
  oneOf,
  pattern,
  string,
  stringMap,
} from "./schema-builders.js";

/**
 * Linkerd policy resources, written from the CRDs of linkerd/linkerd2
 * (charts/linkerd-crds/templates/policy/: server.yaml v1beta3, httproute.yaml v1beta3,
 * authorization-policy.yaml, meshtls-authentication.yaml and network-authentication.yaml
 * v1alpha1): field names, types, patterns and required lists as there. Server, the three
 * authentication kinds and AuthorizationPolicy are complete; HTTPRoute covers parentRefs,
 * hostnames and rules' matches and timeouts (add filters or backendRefs from the CRD when a
 * route needs them). Stricter than the CRD in one place: `proxyProtocol` is one of the values
 * Linkerd documents, where the CRD accepts any string.
 */
const labelSelector = object({
  matchLabels: stringMap,
  matchExpressions: arrayOf(
    object(
      {
        key: string,
        operator: oneOf("In", "NotIn", "Exists", "DoesNotExist"),
        values: arrayOf(string),
      },
      ["key", "operator"],
    ),
  ),
});

const server = customResource("policy.linkerd.io/v1beta3", "Server", {
  ...object(
    {
      accessPolicy: string,
      podSelector: labelSelector,
      externalWorkloadSelector: labelSelector,
      port: intOrString,
      proxyProtocol: oneOf("unknown", "HTTP/1", "HTTP/2", "gRPC", "opaque", "TLS"),
    },
    ["port"],
  ),
  oneOf: [{ required: ["podSelector"] }, { required: ["externalWorkloadSelector"] }],
});

const targetReference = object(
  { group, kind, name, namespace: { type: "string", maxLength: 253 } },
  ["kind", "name"],
);

const parentReference = object(
  {
    group,
    kind,
    namespace: string,
    name,
    sectionName: string,
    port: { type: "integer", minimum: 1, maximum: 65535 },
  },
  ["name"],
);

const httpRoute = customResource(
  "policy.linkerd.io/v1beta3",
  "HTTPRoute",
  object({
    parentRefs: arrayOf(parentReference),
    hostnames: arrayOf(string),
    rules: arrayOf(
      object({
        matches: arrayOf(httpRouteMatch),
        timeouts: object({ request: string, backendRequest: string }),
      }),
    ),
  }),
);

const authorizationPolicy = customResource(
  "policy.linkerd.io/v1alpha1",
  "AuthorizationPolicy",
  object(
    {
      targetRef: object({ group, kind, name }, ["kind", "name"]),
      requiredAuthenticationRefs: arrayOf(targetReference),
    },
    ["targetRef", "requiredAuthenticationRefs"],
  ),
);

const meshTlsAuthentication = customResource(
  "policy.linkerd.io/v1alpha1",
  "MeshTLSAuthentication",
  {
    ...object({
      identities: arrayOf(
        pattern("^(\\*|[a-z0-9]([-a-z0-9]*[a-z0-9])?)(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$"),
      ),
      identityRefs: arrayOf(targetReference),
    }),
    oneOf: [{ required: ["identities"] }, { required: ["identityRefs"] }],
  },
);

const networkAuthentication = customResource(
  "policy.linkerd.io/v1alpha1",
  "NetworkAuthentication",
  object(
    {
      networks: arrayOf(object({ cidr: string, except: arrayOf(string) }, ["cidr"])),
    },
    ["networks"],
  ),
);

export const linkerdPolicySchemas: Record<string, JsonSchema> = {
  "policy.linkerd.io/v1beta3/Server": server,
  "policy.linkerd.io/v1beta3/HTTPRoute": httpRoute,
  "policy.linkerd.io/v1alpha1/AuthorizationPolicy": authorizationPolicy,
  "policy.linkerd.io/v1alpha1/MeshTLSAuthentication": meshTlsAuthentication,
  "policy.linkerd.io/v1alpha1/NetworkAuthentication": networkAuthentication,
};
