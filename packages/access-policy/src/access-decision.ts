import * as grpc from "@grpc/grpc-js";
import {
  callerRuleFor,
  type MeshWorkload,
  type ServiceAccessPolicy,
} from "./service-access-policy.js";

export type AccessDecision =
  | { allowed: true }
  | {
      allowed: false;
      code: grpc.status.UNAUTHENTICATED | grpc.status.PERMISSION_DENIED;
      message: string;
    };

/**
 * Whether `caller` (an authenticated workload, or undefined when the call carries no identity)
 * may call `path` on `server`. No identity → UNAUTHENTICATED, unless the method is open to
 * anyone; an identity the policy does not allow → PERMISSION_DENIED "<caller> may not call <method>".
 */
export function decideAccess(
  policy: ServiceAccessPolicy,
  server: MeshWorkload,
  path: string,
  caller: string | undefined,
): AccessDecision {
  const rule = callerRuleFor(policy, server, path);
  if (rule?.kind === "anyone") return { allowed: true };
  const method = path.replace(/^\//, "");
  if (caller === undefined) {
    return {
      allowed: false,
      code: grpc.status.UNAUTHENTICATED,
      message: `${method} needs an authenticated workload identity (mTLS client certificate or mesh identity)`,
    };
  }
  const allowed =
    rule?.kind === "authenticated" ||
    (rule?.kind === "workloads" && (rule.workloads as readonly string[]).includes(caller));
  return allowed
    ? { allowed: true }
    : {
        allowed: false,
        code: grpc.status.PERMISSION_DENIED,
        message: `${caller} may not call ${method}`,
      };
}
