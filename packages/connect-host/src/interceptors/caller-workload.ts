import { type Code, ConnectError, createContextKey, type Interceptor } from "@connectrpc/connect";
import {
  decideAccess,
  type MeshWorkload,
  type ServiceAccessPolicy,
  serviceAccessPolicy,
} from "@switchyard/access-policy";
import type { Logger } from "@switchyard/logging";
import {
  linkerdClientIdHeader,
  type VerifiedSocket,
  type WorkloadIdentity,
  workloadFromLinkerdIdentity,
  workloadOfConnection,
} from "@switchyard/workload-identity";
import type { NodeRequest } from "../http/node-http-types.js";

/** The authenticated workload that made the current call (undefined: no identity). */
export const callerWorkloadKey = createContextKey<string | undefined>(undefined, {
  description: "calling workload",
});

/**
 * Who made an HTTP request, as `WorkloadIdentity.callerOf` answers it for grpc-js: mtls mode →
 * the SPIFFE ID of the client certificate the TLS listener verified; linkerd mode → the
 * `l5d-client-id` header, which only the mesh proxy sets.
 */
export function callerOfRequest(
  identity: WorkloadIdentity,
  request: NodeRequest,
): string | undefined {
  if (identity.mode === "linkerd") {
    const value = request.headers[linkerdClientIdHeader];
    return typeof value === "string" ? workloadFromLinkerdIdentity(value) : undefined;
  }
  // HTTP/2: one session per connection (request.socket is a new proxy per stream); HTTP/1.1:
  // the socket is the connection.
  const session = (request as { stream?: { session?: object } }).stream?.session;
  return workloadOfConnection(request.socket as VerifiedSocket, session ?? request.socket);
}

/**
 * Enforces THE access policy's entry for `server` on Connect calls, as the grpc-kit
 * authorization interceptor does for gRPC services: no identity → unauthenticated, a workload
 * the policy does not list for the method → permission_denied, before any handler runs.
 */
export function workloadAuthorizationInterceptor(options: {
  server: MeshWorkload;
  logger: Logger;
  policy?: ServiceAccessPolicy;
}): Interceptor {
  const policy = options.policy ?? serviceAccessPolicy;
  if (!policy.servers[options.server]) {
    throw new Error(`the access policy has no entry for server workload "${options.server}"`);
  }
  return (next) => (request) => {
    const caller = request.contextValues.get(callerWorkloadKey);
    const path = `/${request.service.typeName}/${request.method.name}`;
    const decision = decideAccess(policy, options.server, path, caller);
    if (!decision.allowed) {
      options.logger.warn(
        { caller: caller ?? null, method: path },
        "call refused by the access policy",
      );
      // grpc.status and Connect's Code share their numbers.
      throw new ConnectError(decision.message, decision.code as number as Code);
    }
    return next(request);
  };
}
