import {
  context,
  type Link,
  SpanKind,
  SpanStatusCode,
  TraceFlags,
  trace,
} from "@opentelemetry/api";
import { TraceState } from "@opentelemetry/core";
import { ProtobufTraceSerializer } from "@opentelemetry/otlp-transformer";
import { resourceFromAttributes } from "@opentelemetry/resources";
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from "@opentelemetry/sdk-trace-base";
import { describe, expect, it } from "vitest";
import { protobufTraceSerializer } from "../src/otlp-protobuf-exporter.js";
import { encodeTraceExportRequest } from "../src/otlp-span-encoding.js";

/** Finished spans from a provider of their own (resource `service`), made by `make`. */
function spansOf(
  service: string,
  make: (
    tracer: ReturnType<BasicTracerProvider["getTracer"]>,
    provider: BasicTracerProvider,
  ) => void,
): ReadableSpan[] {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ "service.name": service, "service.instance.id": "ü-1" }),
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
  make(provider.getTracer("@switchyard/tracing", "1.2.3"), provider);
  return exporter.getFinishedSpans();
}

const remoteParent = trace.setSpanContext(context.active(), {
  traceId: "0af7651916cd43dd8448eb211c80319c",
  spanId: "b7ad6b7169203331",
  traceFlags: TraceFlags.SAMPLED,
  isRemote: true,
  traceState: new TraceState("vendor=value,other=1"),
});

/** Every field the encoding writes, and every attribute type OTLP has. */
const everyKind = () => [
  ...spansOf("gateway", (tracer, provider) => {
    const server = tracer.startSpan(
      "switchyard.user.v1.UserService/GetUser",
      {
        kind: SpanKind.SERVER,
        attributes: {
          "rpc.system": "grpc",
          "server.port": 50051,
          "big.int": 2 ** 60,
          "negative.int": -42,
          "most.negative": -(2 ** 63),
          ratio: 0.25,
          huge: 2 ** 64,
          ok: true,
          off: false,
          "non.ascii": "Grüße, 世界 🚂",
          empty: "",
          strings: ["a", "ü", ""],
          numbers: [1, -2, 3.5],
          flags: [true, false],
          long: "x".repeat(5_000),
        },
      },
      remoteParent,
    );
    const link: Link = {
      context: {
        traceId: "4bf92f3577b34da6a3ce929d0e0e4736",
        spanId: "00f067aa0ba902b7",
        traceFlags: TraceFlags.NONE,
        traceState: new TraceState("k=v"),
      },
      attributes: { "messaging.message.id": "m-1", count: 3 },
    };
    const child = tracer.startSpan(
      "select users",
      { kind: SpanKind.CLIENT, links: [link, { context: link.context }] },
      trace.setSpan(context.active(), server),
    );
    child.addEvent("exception", {
      "exception.type": "Error",
      "exception.message": "boom",
    });
    child.addEvent("bare");
    child.setStatus({ code: SpanStatusCode.ERROR, message: "not found: ü" });
    child.end();
    server.setStatus({ code: SpanStatusCode.OK });
    server.end();
    const internal = tracer.startSpan("no kind given");
    internal.end();
    const other = provider.getTracer("drizzle-orm").startSpan("other scope, no version");
    other.end();
  }),
  ...spansOf("user-service", (tracer) => {
    tracer.startSpan("second resource", { kind: SpanKind.CONSUMER }).end();
    tracer.startSpan("producer", { kind: SpanKind.PRODUCER, attributes: { n: 0 } }).end();
  }),
];

describe("encodeTraceExportRequest", () => {
  it("writes exactly the bytes of the SDK's ProtobufTraceSerializer, for every field and attribute type", () => {
    const spans = everyKind();
    expect(spans).toHaveLength(6);
    const ours = encodeTraceExportRequest(spans);
    const sdk = ProtobufTraceSerializer.serializeRequest(spans);
    expect(sdk).toBeDefined();
    expect(Buffer.from(ours).equals(Buffer.from(sdk as Uint8Array))).toBe(true);
  });

  it("writes the same bytes again once its string table holds every string (the second batch)", () => {
    const spans = everyKind();
    const first = encodeTraceExportRequest(spans);
    const second = encodeTraceExportRequest(spans);
    expect(Buffer.from(second).equals(Buffer.from(first))).toBe(true);
    expect(
      Buffer.from(second).equals(
        Buffer.from(ProtobufTraceSerializer.serializeRequest(spans) as Uint8Array),
      ),
    ).toBe(true);
  });

  it("encodes an empty batch as an empty request", () => {
    expect(encodeTraceExportRequest([])).toHaveLength(0);
    expect(ProtobufTraceSerializer.serializeRequest([])).toHaveLength(0);
  });

  it("is the exporter's serializer, and an id that is not hex falls back to the SDK's encoding", () => {
    const [span] = spansOf("gateway", (tracer) => tracer.startSpan("one").end());
    if (span === undefined) throw new Error("no span");
    // The span as it is, but for its id.
    const odd: ReadableSpan = Object.create(span, {
      spanContext: { value: () => ({ ...span.spanContext(), spanId: "not-hex!" }) },
    });
    expect(() => encodeTraceExportRequest([odd])).toThrow(/OTLP span encoding/);
    const bytes = protobufTraceSerializer.serializeRequest([odd]);
    expect(Buffer.from(bytes as Uint8Array)).toEqual(
      Buffer.from(ProtobufTraceSerializer.serializeRequest([odd]) as Uint8Array),
    );
  });
});
