import { OtlpDecodeError, type ReceivedSpan, spanKindNames, statusNames } from "./received-span.js";

// The OTLP/JSON shapes read here (https://opentelemetry.io/docs/specs/otlp/#json-protobuf-encoding):
// ids are hex strings, 64-bit integers may be numbers or strings, enums are numbers.
interface JsonAnyValue {
  stringValue?: string;
  boolValue?: boolean;
  intValue?: number | string;
  doubleValue?: number;
}
interface JsonKeyValue {
  key: string;
  value?: JsonAnyValue;
}
interface JsonSpan {
  traceId?: string;
  spanId?: string;
  parentSpanId?: string;
  name?: string;
  kind?: number;
  startTimeUnixNano?: number | string;
  endTimeUnixNano?: number | string;
  attributes?: JsonKeyValue[];
  status?: { code?: number; message?: string };
}
interface JsonRequest {
  resourceSpans?: Array<{
    resource?: { attributes?: JsonKeyValue[] };
    scopeSpans?: Array<{ spans?: JsonSpan[] }>;
  }>;
}

/** Decodes an OTLP/JSON ExportTraceServiceRequest body. */
export function decodeOtlpJson(body: string): ReceivedSpan[] {
  let request: JsonRequest;
  try {
    request = JSON.parse(body) as JsonRequest;
  } catch (error) {
    throw new OtlpDecodeError(`not JSON: ${(error as Error).message}`);
  }
  if (typeof request !== "object" || request === null) {
    throw new OtlpDecodeError("not an ExportTraceServiceRequest object");
  }
  const spans: ReceivedSpan[] = [];
  for (const resourceSpans of request.resourceSpans ?? []) {
    const resource = attributesOf(resourceSpans.resource?.attributes);
    const service = String(resource["service.name"] ?? "unknown");
    for (const scopeSpans of resourceSpans.scopeSpans ?? []) {
      for (const span of scopeSpans.spans ?? []) {
        if (!span.traceId || !span.spanId) throw new OtlpDecodeError("a span without ids");
        spans.push({
          traceId: span.traceId.toLowerCase(),
          spanId: span.spanId.toLowerCase(),
          parentSpanId: (span.parentSpanId ?? "").toLowerCase(),
          name: span.name ?? "",
          kind: spanKindNames[span.kind ?? 0] ?? "unspecified",
          service,
          startMs: nanosToMs(span.startTimeUnixNano),
          endMs: nanosToMs(span.endTimeUnixNano),
          status: statusNames[span.status?.code ?? 0] ?? "unset",
          statusMessage: span.status?.message ?? "",
          attributes: attributesOf(span.attributes),
        });
      }
    }
  }
  return spans;
}

function attributesOf(list: JsonKeyValue[] | undefined): Record<string, string | number | boolean> {
  const attributes: Record<string, string | number | boolean> = {};
  for (const { key, value } of list ?? []) {
    if (value?.stringValue !== undefined) attributes[key] = value.stringValue;
    else if (value?.boolValue !== undefined) attributes[key] = value.boolValue;
    else if (value?.intValue !== undefined) attributes[key] = Number(value.intValue);
    else if (value?.doubleValue !== undefined) attributes[key] = value.doubleValue;
  }
  return attributes;
}

function nanosToMs(value: number | string | undefined): number {
  if (value === undefined) return 0;
  // BigInt keeps the nanoseconds exact before the division (a double cannot hold them).
  const nanos = BigInt(typeof value === "number" ? Math.round(value) : value);
  return Number(nanos / 1000n) / 1000;
}
