import type { DescMethod } from "@bufbuild/protobuf";

/** The rate-limit policy a call falls under; also the policy name clients see. */
export type RouteClass = "signup" | "reads" | "writes";

/**
 * Signup = the public methods (no token: keyed by client address); reads = Get… and List… methods
 * (including the web app's dashboard and order page); writes = everything else.
 */
export function routeClassifier(publicMethods: readonly DescMethod[]) {
  const signup = new Set(publicMethods);
  return (method: DescMethod): RouteClass => {
    if (signup.has(method)) return "signup";
    return /^(Get|List)/.test(method.name) ? "reads" : "writes";
  };
}
