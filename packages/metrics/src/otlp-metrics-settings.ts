import { z } from "zod";

/** Where and how metrics are pushed over OTLP; undefined = no push. */
export interface OtlpMetricsSettings {
  /** Full URL of the metrics endpoint, e.g. http://collector:4318/v1/metrics. */
  url: string;
  protocol: "http/protobuf" | "http/json";
  intervalMs: number;
}

const truthy = z
  .string()
  .optional()
  .transform((value) => value?.trim().toLowerCase() === "true");

const otlpEnvironment = z.object({
  OTEL_SDK_DISABLED: truthy,
  OTEL_METRICS_EXPORTER: z.string().optional(),
  OTEL_EXPORTER_OTLP_ENDPOINT: z.url().optional(),
  OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: z.url().optional(),
  OTEL_EXPORTER_OTLP_PROTOCOL: z.enum(["http/protobuf", "http/json"]).optional(),
  OTEL_EXPORTER_OTLP_METRICS_PROTOCOL: z.enum(["http/protobuf", "http/json"]).optional(),
  OTEL_METRIC_EXPORT_INTERVAL: z.coerce.number().int().positive().default(60_000),
});

/**
 * Reads the standard OTEL_* variables (from the env the host was given, never process.env
 * directly): a push exists only when an endpoint is set, OTEL_SDK_DISABLED is not "true" and
 * OTEL_METRICS_EXPORTER does not say "none". A generic endpoint gets the `/v1/metrics` path
 * appended; a signal-specific one is used as is (both as the OTLP exporter spec says).
 * Bad values throw with the variable named.
 */
export function otlpMetricsSettings(
  env: Record<string, string | undefined>,
): OtlpMetricsSettings | undefined {
  const parsed = otlpEnvironment.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (issue) => `${issue.path.join(".")}: ${issue.message}`,
    );
    throw new TypeError(`invalid OTLP metrics settings: ${problems.join("; ")}`);
  }
  const settings = parsed.data;
  if (settings.OTEL_SDK_DISABLED) return undefined;
  if (settings.OTEL_METRICS_EXPORTER?.split(",").some((name) => name.trim() === "none")) {
    return undefined;
  }
  const url =
    settings.OTEL_EXPORTER_OTLP_METRICS_ENDPOINT ??
    (settings.OTEL_EXPORTER_OTLP_ENDPOINT === undefined
      ? undefined
      : `${settings.OTEL_EXPORTER_OTLP_ENDPOINT.replace(/\/+$/, "")}/v1/metrics`);
  if (url === undefined) return undefined;
  return {
    url,
    protocol:
      settings.OTEL_EXPORTER_OTLP_METRICS_PROTOCOL ??
      settings.OTEL_EXPORTER_OTLP_PROTOCOL ??
      "http/protobuf",
    intervalMs: settings.OTEL_METRIC_EXPORT_INTERVAL,
  };
}
