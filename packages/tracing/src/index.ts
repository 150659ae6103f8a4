export {
  connectClientSpanInterceptor,
  connectServerSpanInterceptor,
} from "./connect-span-interceptors.js";
export { currentTraceparent } from "./current-traceparent.js";
export { grpcClientSpanInterceptor } from "./grpc-client-span.js";
export { grpcServerSpanInterceptor } from "./grpc-server-span.js";
export { startTracing, type Tracing } from "./start-tracing.js";
export {
  type OtlpProtocol,
  type TracingConfig,
  TracingConfigError,
  tracingConfigFromEnv,
} from "./tracing-config.js";
