import { currentRequestScope, runInRequestScope } from "./request-scope.js";

/** What every log line written while handling one request carries. */
export interface RequestContext {
  requestId: string;
}

/**
 * Runs `fn` with `context` as the current request context, across every await inside it (the
 * active OpenTelemetry context, if any, stays as it is).
 */
export function runWithRequestContext<T>(context: RequestContext, fn: () => T): T {
  return runInRequestScope(
    { telemetry: currentRequestScope()?.telemetry, requestId: context.requestId },
    fn,
  );
}

/** The request id of the context the caller runs in, or undefined outside any request. */
export function currentRequestId(): string | undefined {
  return currentRequestScope()?.requestId;
}
