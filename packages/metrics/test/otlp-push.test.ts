import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { metrics } from "@opentelemetry/api";
import { afterEach, describe, expect, it } from "vitest";
import { otlpMetricsSettings, startHostMetrics } from "../src/index.js";
import { rpcInstruments } from "../src/rpc/rpc-instruments.js";
import { scrape } from "../src/testing.js";

/** A minimal OTLP/HTTP receiver: remembers every POST (path, content type, body). */
async function startReceiver() {
  const received: Array<{ path: string; contentType: string; body: string }> = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      received.push({
        path: request.url ?? "",
        contentType: request.headers["content-type"] ?? "",
        body: Buffer.concat(chunks).toString("utf8"),
      });
      response.writeHead(200, { "content-type": "application/json" }).end("{}");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const adminOnPort0 = { ADMIN_HOST: "127.0.0.1", ADMIN_PORT: 0 };

/** A collector that accepts connections and never answers (a hung endpoint). */
async function startSilentCollector() {
  const server: Server = createServer(() => {
    // never answers
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

describe("OTLP metrics push", () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  it("pushes to OTEL_EXPORTER_OTLP_ENDPOINT/v1/metrics (http/json), and flushes at shutdown", async () => {
    const receiver = await startReceiver();
    cleanups.push(receiver.close);
    const host = await startHostMetrics({
      service: "push-test",
      config: adminOnPort0,
      env: {
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
        OTEL_EXPORTER_OTLP_PROTOCOL: "http/json",
        // Longer than the test: only the shutdown flush can deliver the batch.
        OTEL_METRIC_EXPORT_INTERVAL: "600000",
      },
    });
    rpcInstruments(host.meterProvider).server.record(0.02, { "rpc.system": "grpc" });
    await host.shutdown();
    expect(receiver.received.map((request) => request.path)).toContain("/v1/metrics");
    const batch = receiver.received.find((request) => request.path === "/v1/metrics");
    expect(batch?.contentType).toContain("application/json");
    expect(batch?.body).toContain("rpc.server.call.duration");
    expect(batch?.body).toContain("push-test");
  });

  it("OTEL_SDK_DISABLED=true: no push, but /metrics is still served", async () => {
    const receiver = await startReceiver();
    cleanups.push(receiver.close);
    const host = await startHostMetrics({
      service: "disabled-test",
      config: adminOnPort0,
      env: { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint, OTEL_SDK_DISABLED: "true" },
    });
    expect(host.otlp).toBeUndefined();
    rpcInstruments(host.meterProvider).server.record(0.02, { "rpc.system": "grpc" });
    expect(await scrape(host.metricsUrl)).toContain("rpc_server_call_duration_count");
    await host.shutdown();
    expect(receiver.received).toEqual([]);
  });

  it("the first host of a process is the global provider until it shuts down", async () => {
    const first = await startHostMetrics({ service: "first", config: adminOnPort0, env: {} });
    const second = await startHostMetrics({ service: "second", config: adminOnPort0, env: {} });
    expect(metrics.getMeterProvider()).toBe(first.meterProvider);
    await first.shutdown();
    expect(metrics.getMeterProvider()).not.toBe(first.meterProvider);
    await second.shutdown();
  });

  it("a hung or refusing collector neither fails nor holds up shutdown (at most the 2 s flush bound)", async () => {
    const silent = await startSilentCollector();
    cleanups.push(silent.close);
    const refusing = await startSilentCollector();
    await refusing.close(); // nothing listens on its port any more
    for (const endpoint of [silent.endpoint, refusing.endpoint]) {
      const host = await startHostMetrics({
        service: "hung-collector-test",
        config: adminOnPort0,
        env: { OTEL_EXPORTER_OTLP_ENDPOINT: endpoint, OTEL_METRIC_EXPORT_INTERVAL: "600000" },
      });
      rpcInstruments(host.meterProvider).server.record(0.02, { "rpc.system": "grpc" });
      const started = performance.now();
      await expect(host.shutdown()).resolves.toBeUndefined();
      // Without the bound a hung collector holds shutdown for the exporter's own timeout
      // (10 s measured); the bound is 2 s, the rest is margin for a loaded machine.
      expect(performance.now() - started).toBeLessThan(6_000);
    }
  }, 30_000);
});

describe("otlpMetricsSettings", () => {
  it("appends /v1/metrics to the generic endpoint, takes the metrics endpoint as it is", () => {
    expect(otlpMetricsSettings({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://collector:4318/" })).toEqual({
      url: "http://collector:4318/v1/metrics",
      protocol: "http/protobuf",
      intervalMs: 60_000,
    });
    expect(
      otlpMetricsSettings({
        OTEL_EXPORTER_OTLP_ENDPOINT: "http://collector:4318",
        OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: "http://other:4318/custom",
        OTEL_EXPORTER_OTLP_METRICS_PROTOCOL: "http/json",
      })?.url,
    ).toBe("http://other:4318/custom");
  });

  it("no endpoint, OTEL_SDK_DISABLED=true or OTEL_METRICS_EXPORTER=none → no push", () => {
    expect(otlpMetricsSettings({})).toBeUndefined();
    const endpoint = { OTEL_EXPORTER_OTLP_ENDPOINT: "http://collector:4318" };
    expect(otlpMetricsSettings({ ...endpoint, OTEL_SDK_DISABLED: "TRUE" })).toBeUndefined();
    expect(otlpMetricsSettings({ ...endpoint, OTEL_METRICS_EXPORTER: "none" })).toBeUndefined();
  });

  it("a bad value is a TypeError naming the variable", () => {
    expect(() => otlpMetricsSettings({ OTEL_EXPORTER_OTLP_PROTOCOL: "grpc" })).toThrow(
      /OTEL_EXPORTER_OTLP_PROTOCOL/,
    );
    expect(() => otlpMetricsSettings({ OTEL_EXPORTER_OTLP_ENDPOINT: "not a url" })).toThrow(
      /OTEL_EXPORTER_OTLP_ENDPOINT/,
    );
  });
});
