export type { MeterProvider } from "@opentelemetry/api";
export { type AdminServer, startAdminServer } from "./admin-server.js";
export {
  type ConcurrencyReading,
  type LoadSheddingRecorder,
  observeLoadShedding,
} from "./concurrency-metrics.js";
export { durationBucketsSeconds, durationHistogramViews } from "./duration-buckets.js";
export { type HostMetrics, startHostMetrics } from "./host-metrics.js";
export { httpServerMetrics } from "./http/http-server-metrics.js";
export { defaultAdminPort, type MetricsConfig, metricsConfigShape } from "./metrics-config.js";
export { type OtlpMetricsSettings, otlpMetricsSettings } from "./otlp-metrics-settings.js";
export { prometheusNameViews } from "./prometheus-name-views.js";
export { type RateLimitOutcome, rateLimitDecisions } from "./rate-limit-metrics.js";
export {
  connectClientMetricsInterceptor,
  connectErrorCodeName,
  connectServerMetricsInterceptor,
} from "./rpc/connect-rpc-metrics.js";
export { grpcClientMetricsInterceptor } from "./rpc/grpc-client-metrics.js";
export { grpcServerMetricsInterceptor } from "./rpc/grpc-server-metrics.js";
