import { type MeterProvider as ApiMeterProvider, metrics } from "@opentelemetry/api";
import { OTLPMetricExporter as OtlpJsonExporter } from "@opentelemetry/exporter-metrics-otlp-http";
import { OTLPMetricExporter as OtlpProtobufExporter } from "@opentelemetry/exporter-metrics-otlp-proto";
import { PrometheusExporter } from "@opentelemetry/exporter-prometheus";
import { defaultResource, resourceFromAttributes } from "@opentelemetry/resources";
import {
  type IMetricReader,
  MeterProvider,
  PeriodicExportingMetricReader,
} from "@opentelemetry/sdk-metrics";
import { startAdminServer } from "./admin-server.js";
import { durationHistogramViews } from "./duration-buckets.js";
import type { MetricsConfig } from "./metrics-config.js";
import { type OtlpMetricsSettings, otlpMetricsSettings } from "./otlp-metrics-settings.js";
import { prometheusNameViews } from "./prometheus-name-views.js";

/** The metrics of one host: its MeterProvider, where it is scraped, how it stops. */
export interface HostMetrics {
  meterProvider: ApiMeterProvider;
  /** The bound admin port (`/metrics`). */
  adminPort: number;
  /** e.g. http://127.0.0.1:9464/metrics */
  metricsUrl: string;
  /** Where metrics are pushed too; undefined when OTLP is not configured (or disabled). */
  otlp: OtlpMetricsSettings | undefined;
  /** Pushes a last OTLP batch, closes the admin server and releases the global provider. */
  shutdown(): Promise<void>;
}

/**
 * Starts the metrics of a host: a MeterProvider (service.name = the workload) with a Prometheus
 * reader served at `/metrics` on ADMIN_HOST:ADMIN_PORT — always, whatever OTEL_* says, so every
 * process can be scraped — plus a periodic OTLP exporter when `env` configures one.
 * The first host of a process also becomes the GLOBAL provider, so meters that packages take
 * from `@opentelemetry/api` (outbox, consumers, pool) land in the same scrape; in-process test
 * stacks run several hosts, and each scrape still shows its own host's RPC instruments.
 */
export async function startHostMetrics(options: {
  service: string;
  config: MetricsConfig;
  /** The env the host was started with (OTEL_* variables); never process.env directly. */
  env: Record<string, string | undefined>;
}): Promise<HostMetrics> {
  const otlp = otlpMetricsSettings(options.env);
  const prometheus = new PrometheusExporter({ preventServerStart: true });
  const readers: IMetricReader[] = [prometheus];
  if (otlp !== undefined) {
    const Exporter = otlp.protocol === "http/json" ? OtlpJsonExporter : OtlpProtobufExporter;
    readers.push(
      new PeriodicExportingMetricReader({
        exporter: new Exporter({ url: otlp.url }),
        exportIntervalMillis: otlp.intervalMs,
        exportTimeoutMillis: Math.min(30_000, otlp.intervalMs),
      }),
    );
  }
  const meterProvider = new MeterProvider({
    resource: defaultResource().merge(resourceFromAttributes({ "service.name": options.service })),
    readers,
    views: [...durationHistogramViews, ...prometheusNameViews],
  });
  const admin = await startAdminServer({
    host: options.config.ADMIN_HOST,
    port: options.config.ADMIN_PORT,
    serveMetrics: (request, response) => prometheus.getMetricsRequestHandler(request, response),
  }).catch(async (error: unknown) => {
    await meterProvider.shutdown();
    throw error;
  });
  const isGlobal = metrics.setGlobalMeterProvider(meterProvider);
  let stopped: Promise<void> | undefined;
  return {
    meterProvider,
    adminPort: admin.port,
    metricsUrl: `http://${options.config.ADMIN_HOST}:${admin.port}/metrics`,
    otlp,
    shutdown() {
      stopped ??= (async () => {
        await admin.close();
        // Unregisters first, so the next host in this process can become the global one.
        if (isGlobal) metrics.disable();
        await withinFlushTimeout(meterProvider.shutdown());
      })();
      return stopped;
    },
  };
}

/**
 * How long a stopping host waits for its last OTLP push. Telemetry is best effort: a collector
 * that is down or hangs must neither fail nor hold up a stopping process (the exporter alone
 * waits up to 30 s, longer than a supervisor's kill grace). Same bound as the traces' flush.
 */
export const metricsFlushTimeoutMs = 2_000;

/** Waits for `work` at most `metricsFlushTimeoutMs`; a failed or late push is dropped, never thrown. */
async function withinFlushTimeout(work: Promise<void>): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    work.catch(() => {}),
    new Promise<void>((resolve) => {
      timer = setTimeout(resolve, metricsFlushTimeoutMs);
      timer.unref();
    }),
  ]);
  clearTimeout(timer);
}
