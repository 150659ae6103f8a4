import { describe, expect, it } from "vitest";
import { samplerFromEnv } from "../src/sampler-from-env.js";
import { startTracing } from "../src/start-tracing.js";
import {
  defaultBatchSettings,
  TracingConfigError,
  tracingConfigFromEnv,
} from "../src/tracing-config.js";

describe("tracingConfigFromEnv", () => {
  it("is off without an endpoint, and with OTEL_SDK_DISABLED or OTEL_TRACES_EXPORTER=none", () => {
    expect(tracingConfigFromEnv({}, "gateway")).toMatchObject({ enabled: false });
    const endpoint = { OTEL_EXPORTER_OTLP_ENDPOINT: "http://collector:4318" };
    expect(tracingConfigFromEnv({ ...endpoint, OTEL_SDK_DISABLED: "true" }, "gateway")).toEqual({
      enabled: false,
      reason: "OTEL_SDK_DISABLED=true",
    });
    expect(
      tracingConfigFromEnv({ ...endpoint, OTEL_TRACES_EXPORTER: "none" }, "gateway"),
    ).toMatchObject({ enabled: false });
    expect(startTracing({ serviceName: "gateway", env: {} }).enabled).toBe(false);
  });

  it("reads the standard variables: endpoint + /v1/traces, protocol, service name, sampler", () => {
    expect(
      tracingConfigFromEnv(
        {
          OTEL_EXPORTER_OTLP_ENDPOINT: "http://collector:4318/",
          OTEL_EXPORTER_OTLP_PROTOCOL: "http/json",
          OTEL_SERVICE_NAME: "edge-eu-1",
          OTEL_TRACES_SAMPLER: "parentbased_traceidratio",
          OTEL_TRACES_SAMPLER_ARG: "0.25",
        },
        "gateway",
      ),
    ).toEqual({
      enabled: true,
      serviceName: "edge-eu-1",
      tracesUrl: "http://collector:4318/v1/traces",
      protocol: "http/json",
      sampler: "parentbased_traceidratio",
      samplerArg: "0.25",
      batch: defaultBatchSettings,
    });
    const defaults = tracingConfigFromEnv(
      { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: "http://jaeger:4318/custom/traces" },
      "order-service",
    );
    expect(defaults).toMatchObject({
      serviceName: "order-service",
      tracesUrl: "http://jaeger:4318/custom/traces",
      protocol: "http/protobuf",
      sampler: "parentbased_always_on",
    });
  });

  it("reads the batch span processor's OTEL_BSP_* settings, and refuses a batch above the queue", () => {
    const endpoint = { OTEL_EXPORTER_OTLP_ENDPOINT: "http://collector:4318" };
    expect(
      tracingConfigFromEnv(
        {
          ...endpoint,
          OTEL_BSP_SCHEDULE_DELAY: "200",
          OTEL_BSP_MAX_QUEUE_SIZE: "8192",
          OTEL_BSP_MAX_EXPORT_BATCH_SIZE: "1024",
          OTEL_BSP_EXPORT_TIMEOUT: "5000",
        },
        "gateway",
      ),
    ).toMatchObject({
      batch: {
        scheduledDelayMillis: 200,
        maxQueueSize: 8192,
        maxExportBatchSize: 1024,
        exportTimeoutMillis: 5000,
      },
    });
    expect(() =>
      tracingConfigFromEnv({ ...endpoint, OTEL_BSP_MAX_EXPORT_BATCH_SIZE: "9000" }, "gateway"),
    ).toThrow(/OTEL_BSP_MAX_EXPORT_BATCH_SIZE=9000 exceeds OTEL_BSP_MAX_QUEUE_SIZE=4096/);
    expect(() =>
      tracingConfigFromEnv({ ...endpoint, OTEL_BSP_SCHEDULE_DELAY: "soon" }, "gateway"),
    ).toThrow(/OTEL_BSP_SCHEDULE_DELAY=soon is not an integer/);
  });

  it("throws a TracingConfigError naming the variable for a bad value", () => {
    const bad = (env: Record<string, string>) => () => tracingConfigFromEnv(env, "gateway");
    expect(bad({ OTEL_EXPORTER_OTLP_ENDPOINT: "collector:4318" })).toThrow(TracingConfigError);
    expect(bad({ OTEL_EXPORTER_OTLP_ENDPOINT: "ftp://collector" })).toThrow(
      /OTEL_EXPORTER_OTLP_ENDPOINT=ftp:\/\/collector is not an http\(s\) URL/,
    );
    expect(
      bad({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://c:4318", OTEL_EXPORTER_OTLP_PROTOCOL: "grpc" }),
    ).toThrow(/OTEL_EXPORTER_OTLP_PROTOCOL=grpc is not supported/);
    expect(bad({ OTEL_TRACES_EXPORTER: "zipkin" })).toThrow(/OTEL_TRACES_EXPORTER=zipkin/);
    expect(() => samplerFromEnv("sometimes", undefined)).toThrow(/OTEL_TRACES_SAMPLER=sometimes/);
    expect(() => samplerFromEnv("traceidratio", "1.5")).toThrow(/OTEL_TRACES_SAMPLER_ARG=1.5/);
  });

  it("gives the spec's samplers their behaviour", () => {
    expect(samplerFromEnv("always_off", undefined).toString()).toBe("AlwaysOffSampler");
    expect(samplerFromEnv("parentbased_always_on", undefined).toString()).toMatch(/^ParentBased/);
    expect(samplerFromEnv("traceidratio", "0.5").toString()).toContain("0.5");
  });
});
