/** Why a process traces or not, and where its spans go: read from the standard OTEL_* only. */
export type TracingConfig =
  | { enabled: false; reason: string }
  | {
      enabled: true;
      serviceName: string;
      /** The full OTLP/HTTP traces URL (…/v1/traces), or undefined for the console exporter. */
      tracesUrl: string | undefined;
      protocol: OtlpProtocol;
      sampler: string;
      samplerArg: string | undefined;
      /** The batch span processor's settings (OTEL_BSP_*). */
      batch: BatchSettings;
    };

/** OTEL_BSP_SCHEDULE_DELAY, …_MAX_QUEUE_SIZE, …_MAX_EXPORT_BATCH_SIZE, …_EXPORT_TIMEOUT (ms). */
export interface BatchSettings {
  scheduledDelayMillis: number;
  maxQueueSize: number;
  maxExportBatchSize: number;
  exportTimeoutMillis: number;
}

/**
 * Switchyard's defaults: a batch every 500 ms (the spec's 5 s keeps every span alive, and in
 * the heap's old generation, ten times longer) or as soon as 512 spans wait; up to 4096 queued,
 * so a burst under load is exported late rather than dropped.
 */
export const defaultBatchSettings: BatchSettings = {
  scheduledDelayMillis: 500,
  maxQueueSize: 4096,
  maxExportBatchSize: 512,
  exportTimeoutMillis: 30_000,
};

export type OtlpProtocol = "http/json" | "http/protobuf";

/** A bad OTEL_* value: a clear error at start-up instead of silently exporting nothing. */
export class TracingConfigError extends Error {
  override name = "TracingConfigError";
}

const protocols: readonly OtlpProtocol[] = ["http/json", "http/protobuf"];

/**
 * Traces are OFF unless the environment asks for them, so tests and tools that do not care pay
 * nothing: an OTLP endpoint (`OTEL_EXPORTER_OTLP_ENDPOINT` or `…_TRACES_ENDPOINT`) or
 * `OTEL_TRACES_EXPORTER=otlp|console` turns them on; `OTEL_SDK_DISABLED=true` or
 * `OTEL_TRACES_EXPORTER=none` keeps them off whatever else is set.
 */
export function tracingConfigFromEnv(
  env: Record<string, string | undefined>,
  defaultServiceName: string,
): TracingConfig {
  if (env.OTEL_SDK_DISABLED?.trim().toLowerCase() === "true") {
    return { enabled: false, reason: "OTEL_SDK_DISABLED=true" };
  }
  const exporter = env.OTEL_TRACES_EXPORTER?.trim().toLowerCase() || undefined;
  if (exporter !== undefined && !["otlp", "console", "none"].includes(exporter)) {
    throw new TracingConfigError(
      `OTEL_TRACES_EXPORTER=${exporter} is not supported (otlp, console or none)`,
    );
  }
  if (exporter === "none") return { enabled: false, reason: "OTEL_TRACES_EXPORTER=none" };
  const tracesUrl = tracesUrlOf(env);
  if (tracesUrl === undefined && exporter === undefined) {
    return { enabled: false, reason: "no OTEL_EXPORTER_OTLP_ENDPOINT" };
  }
  if (exporter === "otlp" && tracesUrl === undefined) {
    throw new TracingConfigError("OTEL_TRACES_EXPORTER=otlp needs OTEL_EXPORTER_OTLP_ENDPOINT");
  }
  const protocol = (env.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL ??
    env.OTEL_EXPORTER_OTLP_PROTOCOL ??
    "http/protobuf") as OtlpProtocol;
  if (!protocols.includes(protocol)) {
    throw new TracingConfigError(
      `OTEL_EXPORTER_OTLP_PROTOCOL=${protocol} is not supported (http/protobuf or http/json)`,
    );
  }
  return {
    enabled: true,
    serviceName: env.OTEL_SERVICE_NAME?.trim() || defaultServiceName,
    tracesUrl: exporter === "console" ? undefined : tracesUrl,
    protocol,
    sampler: env.OTEL_TRACES_SAMPLER?.trim().toLowerCase() || "parentbased_always_on",
    samplerArg: env.OTEL_TRACES_SAMPLER_ARG?.trim() || undefined,
    batch: batchSettingsOf(env),
  };
}

function batchSettingsOf(env: Record<string, string | undefined>): BatchSettings {
  const read = (name: string, fallback: number, minimum: number): number => {
    const value = env[name]?.trim();
    if (!value) return fallback;
    const number = Number(value);
    if (!Number.isInteger(number) || number < minimum) {
      throw new TracingConfigError(`${name}=${value} is not an integer ≥ ${minimum}`);
    }
    return number;
  };
  const settings = {
    scheduledDelayMillis: read(
      "OTEL_BSP_SCHEDULE_DELAY",
      defaultBatchSettings.scheduledDelayMillis,
      0,
    ),
    maxQueueSize: read("OTEL_BSP_MAX_QUEUE_SIZE", defaultBatchSettings.maxQueueSize, 1),
    maxExportBatchSize: read(
      "OTEL_BSP_MAX_EXPORT_BATCH_SIZE",
      defaultBatchSettings.maxExportBatchSize,
      1,
    ),
    exportTimeoutMillis: read(
      "OTEL_BSP_EXPORT_TIMEOUT",
      defaultBatchSettings.exportTimeoutMillis,
      1,
    ),
  };
  if (settings.maxExportBatchSize > settings.maxQueueSize) {
    throw new TracingConfigError(
      `OTEL_BSP_MAX_EXPORT_BATCH_SIZE=${settings.maxExportBatchSize} exceeds OTEL_BSP_MAX_QUEUE_SIZE=${settings.maxQueueSize}`,
    );
  }
  return settings;
}

/** The per-signal endpoint is used as is; the base endpoint gets `/v1/traces` (the spec's rule). */
function tracesUrlOf(env: Record<string, string | undefined>): string | undefined {
  const perSignal = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?.trim();
  if (perSignal) return validUrl(perSignal, "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT");
  const base = env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim();
  if (!base) return undefined;
  validUrl(base, "OTEL_EXPORTER_OTLP_ENDPOINT");
  return `${base.replace(/\/+$/, "")}/v1/traces`;
}

function validUrl(value: string, name: string): string {
  try {
    const url = new URL(value);
    if (url.protocol !== "http:" && url.protocol !== "https:") throw new Error("not http(s)");
    return value;
  } catch {
    throw new TracingConfigError(`${name}=${value} is not an http(s) URL`);
  }
}
