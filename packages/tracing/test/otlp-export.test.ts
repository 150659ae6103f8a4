import { context, SpanKind, SpanStatusCode, trace } from "@opentelemetry/api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type OtlpReceiver, startOtlpReceiver } from "../src/receiver/index.js";
import { startTracing } from "../src/start-tracing.js";

let receiver: OtlpReceiver;
beforeAll(async () => {
  receiver = await startOtlpReceiver();
});
afterAll(async () => {
  await receiver?.close();
});

describe.each(["http/json", "http/protobuf"])("the real OTLP exporter over %s", (protocol) => {
  it("delivers a parent → child pair to the local receiver, decoded with ids, kinds, times, status and attributes", async () => {
    const tracing = startTracing({
      serviceName: "exporter-test",
      env: {
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
        OTEL_EXPORTER_OTLP_PROTOCOL: protocol,
      },
    });
    expect(tracing.enabled).toBe(true);
    expect(tracing.description).toContain(protocol);
    const tracer = trace.getTracer("test");
    const parent = tracer.startSpan("parent", { kind: SpanKind.SERVER });
    const child = tracer.startSpan(
      "child",
      {
        kind: SpanKind.CLIENT,
        attributes: { "rpc.method": "Get", "rpc.grpc.status_code": 5, ok: true },
      },
      trace.setSpan(context.active(), parent),
    );
    child.setStatus({ code: SpanStatusCode.ERROR, message: "not found" });
    child.end();
    parent.end();
    // The host's last shutdown step: flushes the batch, then uninstalls the provider.
    await tracing.shutdown();

    const traceId = parent.spanContext().traceId;
    const stored = await receiver.waitForTrace(traceId, (t) => t.spans.length === 2);
    // Both may start in the same millisecond: find them by name, not by position.
    const first = stored.spans.find((span) => span.name === "parent");
    const second = stored.spans.find((span) => span.name === "child");
    expect(first).toMatchObject({
      name: "parent",
      kind: "server",
      service: "exporter-test",
      parentSpanId: "",
      spanId: parent.spanContext().spanId,
    });
    expect(second).toMatchObject({
      name: "child",
      kind: "client",
      parentSpanId: parent.spanContext().spanId,
      status: "error",
      statusMessage: "not found",
      attributes: { "rpc.method": "Get", "rpc.grpc.status_code": 5, ok: true },
    });
    expect(second?.endMs).toBeGreaterThanOrEqual(second?.startMs ?? Number.NaN);
    expect(Math.abs((first?.startMs ?? 0) - Date.now())).toBeLessThan(60_000);
  });
});

describe("the local receiver", () => {
  it("answers 400 to a malformed body and 415 to an unknown content type", async () => {
    const bad = await fetch(`${receiver.endpoint}/v1/traces`, {
      method: "POST",
      headers: { "content-type": "application/x-protobuf" },
      body: new Uint8Array([0x0a, 0xff]),
    });
    expect(bad.status).toBe(400);
    const unknown = await fetch(`${receiver.endpoint}/v1/traces`, {
      method: "POST",
      headers: { "content-type": "text/plain" },
      body: "spans",
    });
    expect(unknown.status).toBe(415);
  });

  it("serves the latest traces and one trace by id as JSON", async () => {
    const latest = (await (await fetch(`${receiver.endpoint}/api/traces?limit=1`)).json()) as {
      traces: Array<{ traceId: string }>;
    };
    expect(latest.traces).toHaveLength(1);
    const id = latest.traces[0]?.traceId ?? "";
    const one = await fetch(`${receiver.endpoint}/api/traces/${id}`);
    expect(one.status).toBe(200);
    const missing = await fetch(`${receiver.endpoint}/api/traces/${"0".repeat(31)}1`);
    expect(missing.status).toBe(404);
  });
});
