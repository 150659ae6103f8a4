import type { NodeRequest, NodeResponse } from "@switchyard/connect-host";

export interface DeprecationPolicy {
  /** Request paths under this prefix are deprecated, e.g. "/switchyard.edge.v1.". */
  deprecatedPrefix: string;
  /** Replaces `deprecatedPrefix` to name the successor, e.g. "/switchyard.edge.v2.". */
  successorPrefix: string;
  /** HTTP date the version was deprecated. */
  deprecatedAt: string;
  /** HTTP date after which it may stop answering. */
  sunset: string;
}

/**
 * Marks every response of a deprecated API version — success, error, even a body the Connect
 * layer rejected before any interceptor ran — with `Deprecation` (RFC 9745, a structured date),
 * `Sunset` (RFC 8594) and a `Link` to the successor method (rel="successor-version").
 * Set before the Connect adapter writes its head, which merges these in (HTTP/1.1 and HTTP/2).
 */
export function deprecationHeaders(policy: DeprecationPolicy) {
  const deprecation = `@${Math.floor(Date.parse(policy.deprecatedAt) / 1000)}`;
  return (request: NodeRequest, response: NodeResponse): void => {
    const path = request.url?.split("?")[0] ?? "";
    if (!path.startsWith(policy.deprecatedPrefix)) return;
    const successor = policy.successorPrefix + path.slice(policy.deprecatedPrefix.length);
    response.setHeader("deprecation", deprecation);
    response.setHeader("sunset", policy.sunset);
    response.setHeader("link", `<${successor}>; rel="successor-version"`);
  };
}
