import * as grpc from "@grpc/grpc-js";
import {
  endUserAssertionOf,
  setAuthenticatedCaller,
  setAuthenticatedEndUser,
} from "@switchyard/grpc-kit";
import type { Logger } from "@switchyard/logging";
import { decideAccess } from "./access-decision.js";
import { decideEndUser } from "./end-user-decision.js";
import {
  type MeshWorkload,
  type ServiceAccessPolicy,
  serviceAccessPolicy,
} from "./service-access-policy.js";

export interface AuthorizationInterceptorOptions {
  /** The workload this server runs as; its entry in the policy applies. */
  server: MeshWorkload;
  /** Who made the call: `WorkloadIdentity.callerOf` (peer certificate, or l5d-client-id in mesh mode). */
  identifyCaller: (
    call: grpc.ServerInterceptingCallInterface,
    metadata: grpc.Metadata,
  ) => string | undefined;
  logger: Logger;
  /** Defaults to THE policy (`serviceAccessPolicy`); tests may pass another. */
  policy?: ServiceAccessPolicy;
}

/**
 * Server interceptor enforcing the access policy before any handler runs: refused calls end with
 * PERMISSION_DENIED (or UNAUTHENTICATED without an identity) and never reach the service; allowed
 * ones carry their caller to `CallContext.caller` (grpc-kit `setAuthenticatedCaller`). Then the
 * end-user part (`decideEndUser`): an end user asserted by an edge workload becomes
 * `CallContext.endUser`; one asserted by anyone else, or a missing one where the policy needs
 * it, ends the call the same way.
 */
export function createAuthorizationInterceptor(
  options: AuthorizationInterceptorOptions,
): grpc.ServerInterceptor {
  const { server, identifyCaller, logger } = options;
  const policy = options.policy ?? serviceAccessPolicy;
  if (!policy.servers[server]) {
    throw new Error(`the access policy has no entry for server workload "${server}"`);
  }
  return (methodDescriptor, call) =>
    new grpc.ServerInterceptingCall(call, {
      start(next) {
        next({
          onReceiveMetadata(metadata, forward) {
            const caller = identifyCaller(call, metadata);
            const decision = decideAccess(policy, server, methodDescriptor.path, caller);
            if (!decision.allowed) {
              logger.warn(
                {
                  caller: caller ?? null,
                  method: methodDescriptor.path,
                  code: grpc.status[decision.code],
                },
                "call refused by the access policy",
              );
              call.sendStatus({ code: decision.code, details: decision.message, metadata: null });
              return;
            }
            if (caller === undefined) {
              // Only health Check is open to callers without identity; it has no end user.
              forward(metadata);
              return;
            }
            const endUser = decideEndUser(
              policy,
              methodDescriptor.path,
              caller,
              endUserAssertionOf(metadata),
            );
            if (!endUser.allowed) {
              logger.warn(
                { caller, method: methodDescriptor.path, code: grpc.status[endUser.code] },
                `call refused by the access policy: ${endUser.message}`,
              );
              call.sendStatus({ code: endUser.code, details: endUser.message, metadata: null });
              return;
            }
            setAuthenticatedCaller(metadata, caller);
            if (endUser.endUser !== undefined) setAuthenticatedEndUser(metadata, endUser.endUser);
            forward(metadata);
          },
        });
      },
    });
}
