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
 * A JSON logger for one service: every line has `service`, and `requestId` when written inside
 * `runWithRequestContext`, without passing a child logger around.
 */
export function createLogger(options: LoggerOptions): Logger {
  const settings = {
    level: options.level ?? "info",
    base: { service: options.service },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label: string) => ({ level: label }) },
    mixin: () => {
      const requestId = currentRequestId();
      return requestId === undefined ? {} : { requestId };
    },
    redact: { paths: redactedPaths, censor: "[redacted]" },
  };
  return options.destination === undefined ? pino(settings) : pino(settings, options.destination);
}
