export { authenticatedCallerOf, setAuthenticatedCaller } from "./authenticated-caller.js";
export {
  type CallContext,
  type Invocation,
  idempotencyKeyKey,
  requesterOf,
  requestIdKey,
  traceparentKey,
} from "./call-context.js";
export { type CallUnaryOptions, callUnary } from "./call-unary.js";
export { defaultDeadlineInterceptor } from "./deadline-interceptor.js";
export { domainErrorFromGrpc } from "./domain-error-from-grpc.js";
export {
  authenticatedEndUserOf,
  type EndUser,
  type EndUserAssertion,
  endUserAssertionOf,
  endUserMetadata,
  endUserProblem,
  endUserScopesKey,
  endUserSubjectKey,
  setAuthenticatedEndUser,
  setEndUserMetadata,
} from "./end-user.js";
export { type GrpcStatus, toGrpcStatus } from "./error-status.js";
export { createGrpcClient, type GrpcClientOptions } from "./grpc-client.js";
export { createGrpcServer, type GrpcServer, type GrpcServerOptions } from "./grpc-server.js";
export { requestIdInterceptor } from "./request-id-interceptor.js";
export { methodsSafeToRetry, retryPolicy, retryThrottling } from "./retry-policy.js";
export { unary } from "./unary-handler.js";
