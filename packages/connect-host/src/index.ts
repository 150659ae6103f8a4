export { channelReadiness } from "./channel-readiness.js";
export { hidesCause, toConnectError } from "./connect-error.js";
export {
  type ConnectHostConfig,
  type ConnectHostConfigShape,
  connectHostConfigShape,
  portSetting,
} from "./connect-host-config.js";
export { type ConnectPeerTransport, connectPeerTransport } from "./connect-peer-transport.js";
export {
  type ConfigOf,
  type ConnectServiceDeclaration,
  type ConnectServiceSetup,
  defineConnectService,
  type Upstreams,
} from "./connect-service.js";
export {
  type ConnectHttpServer,
  type ConnectHttpServerOptions,
  createConnectHttpServer,
  type RequestHook,
} from "./http/connect-http-server.js";
export type { NodeRequest, NodeResponse } from "./http/node-http-types.js";
export {
  type Admission,
  type AdmissionDecision,
  type AdmissionRequest,
  admissionInterceptor,
  clientAddressKey,
} from "./interceptors/admission.js";
export {
  callerOfRequest,
  callerWorkloadKey,
  workloadAuthorizationInterceptor,
} from "./interceptors/caller-workload.js";
export {
  type DeadlinePolicy,
  deadlineInterceptor,
  deadlinePolicyKey,
  downstreamDeadline,
} from "./interceptors/deadline.js";
export { errorMappingInterceptor } from "./interceptors/error-mapping.js";
export { idempotencyKeyInterceptor, idempotencyKeyKey } from "./interceptors/idempotency-key.js";
export { requestIdInterceptor, requestIdKey } from "./interceptors/request-id.js";
export {
  type StandardInterceptorOptions,
  standardInterceptors,
} from "./interceptors/standard-interceptors.js";
export { runConnectService } from "./run-connect-service.js";
export {
  type ConnectServiceOverrides,
  type RunningConnectService,
  type ShutdownStep,
  startConnectService,
} from "./start-connect-service.js";
export {
  callUpstream,
  required,
  type UnaryMethod,
  type UpstreamCallOptions,
  upstreamCallOptions,
} from "./upstream-call.js";
