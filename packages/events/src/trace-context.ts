import {
  type Context,
  context,
  isSpanContextValid,
  ROOT_CONTEXT,
  type Span,
  type SpanContext,
  SpanStatusCode,
  trace,
} from "@opentelemetry/api";
import { isTraceparent } from "./traceparent.js";

/**
 * W3C `traceparent` ⇄ OpenTelemetry span context, for the hops that carry trace context as a
 * plain value: the outbox row's `traceparent` column and the NATS `traceparent` header
 * (nats.js has no OpenTelemetry support). Done here rather than with the global propagator so
 * the wire format of the async hop is fixed (CloudEvents distributed-tracing extension:
 * `traceparent` only; `tracestate` is not carried) whatever propagator a process configures.
 */

/** The span context a valid `traceparent` names (remote), or undefined. */
export function spanContextFromTraceparent(
  value: string | null | undefined,
): SpanContext | undefined {
  if (value === null || !isTraceparent(value)) return undefined;
  const [, traceId, spanId, flags] = value.split("-") as [string, string, string, string];
  return { traceId, spanId, traceFlags: Number.parseInt(flags, 16), isRemote: true };
}

/** `traceparent` of a valid span context, or undefined (e.g. a no-op span with no parent). */
export function traceparentFromSpanContext(spanContext: SpanContext): string | undefined {
  if (!isSpanContextValid(spanContext)) return undefined;
  const flags = (spanContext.traceFlags & 0xff).toString(16).padStart(2, "0");
  return `00-${spanContext.traceId}-${spanContext.spanId}-${flags}`;
}

/** A context whose parent is the span `traceparent` names; ROOT when it is absent or invalid. */
export function contextFromTraceparent(value: string | null | undefined): Context {
  const spanContext = spanContextFromTraceparent(value);
  return spanContext ? trace.setSpanContext(ROOT_CONTEXT, spanContext) : ROOT_CONTEXT;
}

/**
 * `traceparent` of the span active right now (sampled or not: the flags carry the sampling
 * decision onward), or undefined when no span is active.
 */
export function activeTraceparent(): string | undefined {
  const span = trace.getSpan(context.active());
  return span ? traceparentFromSpanContext(span.spanContext()) : undefined;
}

/** `error.type` of a failure: the error's class name (`_OTHER` for a thrown non-Error). */
export function errorTypeOf(error: unknown): string {
  return error instanceof Error ? error.name : "_OTHER";
}

/** Marks `span` failed with `error`: ERROR status, `error.type`, the exception event. */
export function recordSpanFailure(span: Span, error: unknown): void {
  span.setAttribute("error.type", errorTypeOf(error));
  span.recordException(error instanceof Error ? error : String(error));
  span.setStatus({
    code: SpanStatusCode.ERROR,
    message: error instanceof Error ? error.message : String(error),
  });
}
