import type * as grpc from "@grpc/grpc-js";

// Keyed by the call's own Metadata object, which grpc-js hands from the server interceptors to
// the handler unchanged: a value here can only come from in-process code, never from a header a
// client could forge.
const callers = new WeakMap<grpc.Metadata, string>();

/**
 * Records the authenticated workload that made a call; called by the authorization interceptor
 * (@switchyard/access-policy) once it has verified the caller. `CallContext.caller` reads it.
 */
export function setAuthenticatedCaller(metadata: grpc.Metadata, workload: string): void {
  callers.set(metadata, workload);
}

/** The workload recorded by `setAuthenticatedCaller` for this call, if any. */
export function authenticatedCallerOf(metadata: grpc.Metadata): string | undefined {
  return callers.get(metadata);
}
