import { context, metrics, propagation, trace } from "@opentelemetry/api";
import {
  type DataPoint,
  MeterProvider,
  type MetricData,
  MetricReader,
} from "@opentelemetry/sdk-metrics";
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from "@opentelemetry/sdk-trace-base";
import { RequestScopeContextManager } from "@switchyard/logging";

/** A MetricReader that collects only when asked (tests read the values directly). */
class OnDemandMetricReader extends MetricReader {
  protected override async onShutdown(): Promise<void> {}
  protected override async onForceFlush(): Promise<void> {}
}

/**
 * Global OpenTelemetry providers for one test file: every span ends up in `spans()`, metrics are
 * read with `collectMetrics()`. Code under test uses only `@opentelemetry/api`, as in
 * production. Call `uninstall()` in afterAll: the globals are process-wide.
 */
export interface InMemoryTelemetry {
  /** Finished spans, in the order they ended. */
  spans(): ReadableSpan[];
  /** Forgets the finished spans. */
  resetSpans(): void;
  /** One metric by name from a fresh collection (observable callbacks run), or undefined. */
  collectMetric(name: string): Promise<MetricData | undefined>;
  uninstall(): Promise<void>;
}

export function installInMemoryTelemetry(): InMemoryTelemetry {
  const exporter = new InMemorySpanExporter();
  const tracerProvider = new BasicTracerProvider({
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
  // What start-tracing registers in every deployable: the request scope's context manager.
  const contextManager = new RequestScopeContextManager();
  const reader = new OnDemandMetricReader();
  const meterProvider = new MeterProvider({ readers: [reader] });
  context.setGlobalContextManager(contextManager);
  trace.setGlobalTracerProvider(tracerProvider);
  metrics.setGlobalMeterProvider(meterProvider);
  return {
    spans: () => exporter.getFinishedSpans(),
    resetSpans: () => exporter.reset(),
    async collectMetric(name) {
      const { resourceMetrics } = await reader.collect();
      for (const scope of resourceMetrics.scopeMetrics) {
        const found = scope.metrics.find((metric) => metric.descriptor.name === name);
        if (found) return found;
      }
      return undefined;
    },
    async uninstall() {
      await Promise.all([tracerProvider.shutdown(), meterProvider.shutdown()]);
      trace.disable();
      metrics.disable();
      context.disable();
      propagation.disable();
    },
  };
}

/** The data points of a metric whose attributes include `attributes`. */
export function dataPointsWith(
  metric: MetricData | undefined,
  attributes: Record<string, unknown>,
): DataPoint<unknown>[] {
  const points = (metric?.dataPoints ?? []) as DataPoint<unknown>[];
  return points.filter((point) =>
    Object.entries(attributes).every(([key, value]) => point.attributes[key] === value),
  );
}

/** The span named `name` (the first that ended), or a failure listing the spans there are. */
export function spanNamed(spans: readonly ReadableSpan[], name: string): ReadableSpan {
  const found = spans.find((span) => span.name === name);
  if (!found) {
    throw new Error(
      `no span ${JSON.stringify(name)}; spans: ${spans.map((s) => s.name).join(", ")}`,
    );
  }
  return found;
}

export type { ReadableSpan } from "@opentelemetry/sdk-trace-base";
