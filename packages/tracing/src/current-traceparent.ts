import { context, isSpanContextValid, trace } from "@opentelemetry/api";
import { isTracingSuppressed } from "@opentelemetry/core";

/**
 * The W3C `traceparent` of the span active now (e.g. a gRPC server span), or undefined when
 * none is (tracing off, or outside a traced operation). What an event written now should carry,
 * so its relay and consumer spans join this trace. The same string the W3C propagator would
 * inject, formatted directly: it is built for every call a service handles.
 */
export function currentTraceparent(): string | undefined {
  const active = context.active();
  const spanContext = trace.getSpanContext(active);
  if (spanContext === undefined || !isSpanContextValid(spanContext)) return undefined;
  if (isTracingSuppressed(active)) return undefined;
  const flags = spanContext.traceFlags & 0xff;
  return `00-${spanContext.traceId}-${spanContext.spanId}-${flags < 16 ? "0" : ""}${flags.toString(16)}`;
}
