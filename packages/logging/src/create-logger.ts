import { isSpanContextValid, trace } from "@opentelemetry/api";
import { type DestinationStream, type Logger, pino } from "pino";
import { currentRequestId } from "./request-context.js";

/**
 * Paths pino censors in every log line. A safety net only: code should not log secrets, but a
 * logged request or header object must not leak one by accident.
 */
export const redactedPaths = [
  "password",
  "*.password",
  "authorization",
  "*.authorization",
  "token",
  "*.token",
  "secret",
  "*.secret",
];

export interface LoggerOptions {
  service: string;
  /** pino level name; default "info". */
  level?: string;
  /** Where JSON lines go; default stdout. Tests pass an in-memory stream. */
  destination?: DestinationStream;
}

/**
 * A JSON logger for one service: every line has `service`, `requestId` when written inside
 * `runWithRequestContext`, and `trace_id` / `span_id` when written inside a traced operation
 * (the active OpenTelemetry span), without passing a child logger around.
 */
export function createLogger(options: LoggerOptions): Logger {
  const settings = {
    level: options.level ?? "info",
    base: { service: options.service },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label: string) => ({ level: label }) },
    mixin: () => ({ ...requestIdFields(), ...traceFields() }),
    redact: { paths: redactedPaths, censor: "[redacted]" },
  };
  return options.destination === undefined ? pino(settings) : pino(settings, options.destination);
}

function requestIdFields(): { requestId?: string } {
  const requestId = currentRequestId();
  return requestId === undefined ? {} : { requestId };
}

/** The active span's ids, named as the OTel log data model names them (so backends link them). */
function traceFields(): { trace_id?: string; span_id?: string } {
  const spanContext = trace.getActiveSpan()?.spanContext();
  if (spanContext === undefined || !isSpanContextValid(spanContext)) return {};
  return { trace_id: spanContext.traceId, span_id: spanContext.spanId };
}
