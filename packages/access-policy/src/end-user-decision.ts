import * as grpc from "@grpc/grpc-js";
import type { EndUser, EndUserAssertion } from "@switchyard/grpc-kit";
import type { ServiceAccessPolicy } from "./service-access-policy.js";

export type EndUserDecision =
  | { allowed: true; endUser: EndUser | undefined }
  | {
      allowed: false;
      code: grpc.status.UNAUTHENTICATED | grpc.status.PERMISSION_DENIED;
      message: string;
    };

/**
 * Whether a call of `path` by the (already authorized) workload `caller` may go on with what it
 * says about its end user, and which end user the handler then acts for:
 * - health and reflection ignore end users;
 * - an end user asserted by an edge workload of `policy.endUsers.asserters` is believed;
 * - an end user asserted by anyone else → PERMISSION_DENIED (only the edge verifies tokens);
 * - no end user → allowed for `internalCallers` (acting as themselves) and `anonymousMethods`
 *   (signup), else UNAUTHENTICATED: an edge call without a user is a bug, never "internal".
 */
export function decideEndUser(
  policy: ServiceAccessPolicy,
  path: string,
  caller: string,
  assertion: EndUserAssertion,
): EndUserDecision {
  if (policy.platform[path] !== undefined) return { allowed: true, endUser: undefined };
  const method = path.replace(/^\//, "");
  const { asserters, internalCallers, anonymousMethods } = policy.endUsers;
  if (assertion.kind !== "none") {
    if (!(asserters as readonly string[]).includes(caller)) {
      return {
        allowed: false,
        code: grpc.status.PERMISSION_DENIED,
        message: `${caller} may not act for an end user (calling ${method})`,
      };
    }
    if (assertion.kind === "malformed") {
      return {
        allowed: false,
        code: grpc.status.UNAUTHENTICATED,
        message: `malformed end-user metadata from ${caller}: ${assertion.problem}`,
      };
    }
    return { allowed: true, endUser: assertion.endUser };
  }
  if ((internalCallers as readonly string[]).includes(caller) || anonymousMethods.includes(path)) {
    return { allowed: true, endUser: undefined };
  }
  return {
    allowed: false,
    code: grpc.status.UNAUTHENTICATED,
    message: `${method} needs an end user: ${caller} sent none`,
  };
}
