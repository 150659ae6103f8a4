import {
  devstackReceiverUrl,
  type OtlpReceiver,
  startOtlpReceiver,
} from "@switchyard/tracing/receiver";

/** What the devstack does with traces: the env every component gets and a banner line. */
export interface DevstackTracing {
  /** Every OTEL_* the devstack was given, plus where to export when the developer gave nowhere. */
  componentEnv: Record<string, string>;
  bannerLine: string;
  close(): Promise<void>;
}

/**
 * Local traces without a collector: unless the developer configured an OTLP endpoint (then
 * spans go there, e.g. Jaeger) or disabled the SDK, the devstack runs the small OTLP/HTTP
 * receiver of @switchyard/tracing on 4319 + the port offset, keeps recent spans in memory and
 * points every component's traces at it (`npm run traces` reads them back). The per-signal
 * variable is used so that metrics, which the receiver does not take, are not sent there.
 */
export async function startDevstackTracing(
  env: Record<string, string | undefined>,
  portOffset: number,
): Promise<DevstackTracing> {
  const given = Object.fromEntries(
    Object.entries(env).filter(
      (entry): entry is [string, string] => entry[0].startsWith("OTEL_") && entry[1] !== undefined,
    ),
  );
  const disabled =
    given.OTEL_SDK_DISABLED?.toLowerCase() === "true" ||
    given.OTEL_TRACES_EXPORTER?.toLowerCase() === "none";
  if (disabled) {
    return {
      componentEnv: given,
      bannerLine: "traces: off (OTEL_* disables them)",
      close: async () => {},
    };
  }
  const endpoint = given.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ?? given.OTEL_EXPORTER_OTLP_ENDPOINT;
  if (endpoint !== undefined) {
    return {
      componentEnv: given,
      bannerLine: `traces: exported to ${endpoint} (your OTEL_EXPORTER_OTLP_* settings)`,
      close: async () => {},
    };
  }
  const url = new URL(devstackReceiverUrl(portOffset));
  const receiver: OtlpReceiver = await startOtlpReceiver({
    host: url.hostname,
    port: Number(url.port),
  });
  return {
    componentEnv: {
      ...given,
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `${receiver.endpoint}/v1/traces`,
      OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: given.OTEL_EXPORTER_OTLP_PROTOCOL ?? "http/json",
    },
    bannerLine: `traces: kept by the devstack at ${receiver.endpoint} — see them with: npm run traces`,
    close: () => receiver.close(),
  };
}
