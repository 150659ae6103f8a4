import type * as grpc from "@grpc/grpc-js";
import {
  createAuthorizationInterceptor,
  type MeshWorkload,
  type ServiceAccessPolicy,
} from "@switchyard/access-policy";
import type { Logger } from "@switchyard/logging";
import { grpcServerSpanInterceptor } from "@switchyard/tracing";
import type { WorkloadIdentity } from "@switchyard/workload-identity";

/**
 * THE server interceptor chain of every gRPC service, outermost first, defined here once:
 * t. the SERVER span (@switchyard/tracing) — everything after runs inside it;
 * · RED metrics (`rpc.server.call.duration`) — outermost, so shed and refused calls count;
 * 0. load shedding (adaptive concurrency limit) — first, so an overloaded service refuses at
 *    the cheapest point; health and reflection are never shed;
 * 1. authorization by the access policy (caller identity → allowed methods, end users);
 * 2. the service's own interceptors.
 * Request id, logging and error mapping are per call in grpc-kit's `unary()` (it runs inside
 * the request context and maps every thrown error through the one error table), so they wrap
 * every handler without an interceptor of their own; refused calls never reach them.
 */
export function standardInterceptors(options: {
  workload: MeshWorkload;
  identity: WorkloadIdentity;
  logger: Logger;
  /** THE policy unless a test passes another (`@switchyard/service-host/testing`). */
  policy: ServiceAccessPolicy | undefined;
  extra: grpc.ServerInterceptor[];
  /** The load shedder's interceptor (LOAD_SHEDDING=on). */
  loadShedding?: grpc.ServerInterceptor | undefined;
  /** The host's RPC metrics interceptor (@switchyard/metrics). */
  metrics?: grpc.ServerInterceptor | undefined;
}): grpc.ServerInterceptor[] {
  return [
    // First in grpc-js's list: it sees every call first and its status last (even refusals).
    grpcServerSpanInterceptor(),
    ...(options.metrics === undefined ? [] : [options.metrics]),
    ...(options.loadShedding === undefined ? [] : [options.loadShedding]),
    createAuthorizationInterceptor({
      server: options.workload,
      identifyCaller: options.identity.callerOf,
      logger: options.logger,
      ...(options.policy === undefined ? {} : { policy: options.policy }),
    }),
    ...options.extra,
  ];
}
