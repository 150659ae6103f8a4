import { trace } from "@opentelemetry/api";
import { resourceFromAttributes } from "@opentelemetry/resources";
import {
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from "@opentelemetry/sdk-trace-base";
import { NodeTracerProvider } from "@opentelemetry/sdk-trace-node";
import { samplerFromEnv } from "./sampler-from-env.js";
import { installExternalProvider } from "./start-tracing.js";

/** Tracing into memory for one test file: every span of every host started in this process. */
export interface InMemoryTracing {
  /** Spans ended so far, in the order they ended. */
  spans(): ReadableSpan[];
  /** Spans of one trace. */
  spansOf(traceId: string): ReadableSpan[];
  /** Forgets the spans recorded so far. */
  reset(): void;
  /** Unregisters the provider; hosts started later trace per their env again. */
  uninstall(): Promise<void>;
}

/**
 * Registers a global provider exporting synchronously into memory (same propagator, context
 * manager and sampler as production, `parentbased_always_on` unless `sampler` names another).
 * Call it BEFORE starting the hosts: they then trace into it instead of reading OTEL_*.
 */
export function installInMemoryTracing(options: { sampler?: string } = {}): InMemoryTracing {
  const exporter = new InMemorySpanExporter();
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ "service.name": "switchyard-test" }),
    sampler: samplerFromEnv(options.sampler ?? "parentbased_always_on", undefined),
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
  provider.register();
  const uninstall = installExternalProvider(provider, "tracing into memory (test)");
  return {
    spans: () => exporter.getFinishedSpans(),
    spansOf: (traceId) =>
      exporter.getFinishedSpans().filter((span) => span.spanContext().traceId === traceId),
    reset: () => exporter.reset(),
    async uninstall() {
      uninstall();
      await provider.shutdown();
      trace.disable();
    },
  };
}

/** The parent span id of a span (SDK 2.x keeps it in `parentSpanContext`). */
export function parentSpanIdOf(span: ReadableSpan): string | undefined {
  return span.parentSpanContext?.spanId;
}

export type { ReadableSpan };
