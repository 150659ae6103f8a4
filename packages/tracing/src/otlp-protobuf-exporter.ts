import { OTLPExporterBase } from "@opentelemetry/otlp-exporter-base";
import {
  convertLegacyHttpOptions,
  createOtlpHttpExportDelegate,
} from "@opentelemetry/otlp-exporter-base/node-http";
import {
  type IExportTraceServiceResponse,
  type ISerializer,
  ProtobufTraceSerializer,
  TraceExporterMetricsHelper,
} from "@opentelemetry/otlp-transformer";
import type { ReadableSpan, SpanExporter } from "@opentelemetry/sdk-trace-base";
import { encodeTraceExportRequest } from "./otlp-span-encoding.js";

/**
 * The SDK's serializer with Switchyard's encoding of the request (same bytes, less CPU; see
 * otlp-span-encoding.ts). Should the encoding ever fail, the SDK's own writes that batch.
 */
export const protobufTraceSerializer: ISerializer<ReadableSpan[], IExportTraceServiceResponse> = {
  serializeRequest(spans) {
    try {
      return encodeTraceExportRequest(spans);
    } catch {
      return ProtobufTraceSerializer.serializeRequest(spans);
    }
  },
  deserializeResponse: (data) => ProtobufTraceSerializer.deserializeResponse(data),
};

/**
 * OTLP/HTTP protobuf span exporter to `url`: @opentelemetry/exporter-trace-otlp-proto's
 * OTLPTraceExporter assembled from the same public parts (HTTP delegate, retries, timeouts,
 * OTEL_EXPORTER_OTLP_* headers and compression), with `protobufTraceSerializer`.
 */
export function otlpProtobufTraceExporter(url: string): SpanExporter {
  return new OTLPExporterBase(
    createOtlpHttpExportDelegate(
      convertLegacyHttpOptions({ url }, "TRACES", "v1/traces", {
        "Content-Type": "application/x-protobuf",
      }),
      protobufTraceSerializer,
      "otlp_http_span_exporter",
      TraceExporterMetricsHelper,
      undefined,
    ),
  );
}
