import { describe, expect, it } from "vitest";
import { startDevstackTracing } from "../src/devstack-tracing.js";

describe("the devstack's traces", () => {
  it("keeps them locally when no endpoint is given: components export to its receiver, other OTEL_* passed on", async () => {
    const offset = 5_000 + Math.floor(Math.random() * 5_000);
    const traces = await startDevstackTracing(
      { OTEL_TRACES_SAMPLER: "always_on", PATH: "/usr/bin" },
      offset,
    );
    try {
      expect(traces.componentEnv).toEqual({
        OTEL_TRACES_SAMPLER: "always_on",
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `http://127.0.0.1:${4319 + offset}/v1/traces`,
        OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: "http/json",
      });
      expect(traces.bannerLine).toContain("npm run traces");
      // The receiver answers where `npm run traces` looks (same port offset).
      const listed = await fetch(`http://127.0.0.1:${4319 + offset}/api/traces`);
      expect(listed.status).toBe(200);
    } finally {
      await traces.close();
    }
  });

  it("sends them where the developer said, starting no receiver", async () => {
    const traces = await startDevstackTracing(
      { OTEL_EXPORTER_OTLP_ENDPOINT: "http://jaeger:4318", OTEL_SERVICE_NAME: "ignored-by-none" },
      0,
    );
    expect(traces.componentEnv).toEqual({
      OTEL_EXPORTER_OTLP_ENDPOINT: "http://jaeger:4318",
      OTEL_SERVICE_NAME: "ignored-by-none",
    });
    expect(traces.bannerLine).toBe(
      "traces: exported to http://jaeger:4318 (your OTEL_EXPORTER_OTLP_* settings)",
    );
    await traces.close();
  });

  it("starts nothing when OTEL_SDK_DISABLED=true", async () => {
    const traces = await startDevstackTracing({ OTEL_SDK_DISABLED: "true" }, 0);
    expect(traces.componentEnv).toEqual({ OTEL_SDK_DISABLED: "true" });
    expect(traces.bannerLine).toMatch(/^traces: off/);
  });
});
