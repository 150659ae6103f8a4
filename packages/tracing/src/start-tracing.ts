import { trace } from "@opentelemetry/api";
import { OTLPTraceExporter as OtlpJsonTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { resourceFromAttributes } from "@opentelemetry/resources";
import {
  BatchSpanProcessor,
  ConsoleSpanExporter,
  type SpanExporter,
} from "@opentelemetry/sdk-trace-base";
import { NodeTracerProvider } from "@opentelemetry/sdk-trace-node";
import { RequestScopeContextManager } from "@switchyard/logging";
import { otlpProtobufTraceExporter } from "./otlp-protobuf-exporter.js";
import { PooledIdGenerator } from "./pooled-id-generator.js";
import { samplerFromEnv } from "./sampler-from-env.js";
import { type TracingConfig, tracingConfigFromEnv } from "./tracing-config.js";

/** Tracing as a host holds it: whether it is on, and the flush that is its LAST shutdown step. */
export interface Tracing {
  /** True when this process records spans (this call or an earlier one installed a provider). */
  readonly enabled: boolean;
  /** Why tracing is on or off, for the start-up log line. */
  readonly description: string;
  /**
   * Exports what is buffered; the provider itself is shut down when the last host stops. Never
   * rejects, and returns within `flushTimeoutMs` even when the OTLP endpoint is down or hangs
   * (those spans are lost: telemetry must not hold up a stopping process).
   */
  shutdown(): Promise<void>;
}

/** What the hosts need of a provider (NodeTracerProvider or the test one). */
export interface FlushableProvider {
  forceFlush(): Promise<void>;
  shutdown(): Promise<void>;
}

interface Installed {
  provider: FlushableProvider;
  users: number;
  description: string;
  /** Installed by `./testing`: the hosts flush it but never shut it down. */
  external: boolean;
}

let installed: Installed | undefined;

/**
 * Starts tracing for a deployable from the standard OTEL_* variables in `env` (see
 * `tracingConfigFromEnv`; the service name is `serviceName` unless OTEL_SERVICE_NAME). One
 * provider per process — W3C trace context propagator, the request scope's context manager,
 * parent-based sampler by default, batched OTLP/HTTP export (json or protobuf) — registered
 * globally so every `@opentelemetry/api` user (database, outbox, consumers) records into it.
 * Several deployables in one process (tests, benchmarks) share it; when something else already
 * registered a provider (`@switchyard/tracing/testing`), that one is used.
 * Throws TracingConfigError on a bad OTEL_* value.
 */
export function startTracing(options: {
  serviceName: string;
  env: Record<string, string | undefined>;
}): Tracing {
  const config = tracingConfigFromEnv(options.env, options.serviceName);
  if (installed !== undefined) return share(installed);
  if (!config.enabled) return disabled(config.reason);
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ "service.name": config.serviceName }),
    sampler: samplerFromEnv(config.sampler, config.samplerArg),
    idGenerator: new PooledIdGenerator(),
    spanProcessors: [new BatchSpanProcessor(exporterFor(config), config.batch)],
  });
  // The context rides on the request scope's AsyncLocalStorage (one per process, shared with
  // the request id): a second one would cost on every await (see @switchyard/logging).
  provider.register({ contextManager: new RequestScopeContextManager() });
  const mine: Installed = { provider, users: 0, description: describe(config), external: false };
  installed = mine;
  return share(mine);
}

/**
 * How long the last shutdown step waits for buffered spans to leave. Telemetry is best effort:
 * an OTLP endpoint that is down or hangs must neither fail nor hold up a stopping process (the
 * exporter alone would wait 10 s per batch, longer than a supervisor's kill grace).
 */
export const flushTimeoutMs = 2_000;

function share(current: Installed): Tracing {
  current.users += 1;
  let stopped = false;
  return {
    enabled: true,
    description: current.description,
    async shutdown() {
      if (stopped) return;
      stopped = true;
      current.users -= 1;
      if (current.users > 0 || current.external) {
        await bestEffort(current.provider.forceFlush());
        return;
      }
      if (installed === current) installed = undefined;
      await bestEffort(current.provider.shutdown());
      trace.disable();
    },
  };
}

/** Waits for `work` at most `flushTimeoutMs`; a failed or late export is dropped, never thrown. */
async function bestEffort(work: Promise<void>): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    work.catch(() => {}),
    new Promise<void>((resolve) => {
      timer = setTimeout(resolve, flushTimeoutMs);
      timer.unref();
    }),
  ]);
  clearTimeout(timer);
}

function disabled(reason: string): Tracing {
  return { enabled: false, description: `tracing off (${reason})`, shutdown: async () => {} };
}

/**
 * Makes `provider` (already registered) THE process provider that hosts share, flush and never
 * shut down: for `./testing`. Returns the function that uninstalls it.
 */
export function installExternalProvider(
  provider: FlushableProvider,
  description: string,
): () => void {
  if (installed !== undefined) throw new Error("tracing is already installed in this process");
  const mine: Installed = { provider, users: 0, description, external: true };
  installed = mine;
  return () => {
    if (installed === mine) installed = undefined;
  };
}

function exporterFor(config: Extract<TracingConfig, { enabled: true }>): SpanExporter {
  if (config.tracesUrl === undefined) return new ConsoleSpanExporter();
  return config.protocol === "http/json"
    ? new OtlpJsonTraceExporter({ url: config.tracesUrl })
    : otlpProtobufTraceExporter(config.tracesUrl);
}

function describe(config: Extract<TracingConfig, { enabled: true }>): string {
  const target = config.tracesUrl === undefined ? "the console" : config.tracesUrl;
  return `tracing ${config.serviceName} to ${target} (${config.protocol}, sampler ${config.sampler})`;
}
