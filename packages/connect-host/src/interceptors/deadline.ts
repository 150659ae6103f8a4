import { createContextKey, type HandlerContext, type Interceptor } from "@connectrpc/connect";

/** How long downstream calls of one request may take: the caller's timeout, bounded. */
export interface DeadlinePolicy {
  /** When the caller sends no timeout. */
  defaultMs: number;
  /** The most any caller gets, whatever it asks for: no caller holds backends longer. */
  maxMs: number;
}

/** The policy of the current call (set by `deadlineInterceptor`); 0/0 means "not set". */
export const deadlinePolicyKey = createContextKey<DeadlinePolicy>(
  { defaultMs: 0, maxMs: 0 },
  { description: "downstream deadline policy" },
);

/**
 * Puts the deadline policy into every call's context. The caller's own timeout is not parsed
 * here: Connect already reads `connect-timeout-ms` / `grpc-timeout` for every protocol and
 * offers what is left of it as `context.timeoutMs()`; `downstreamDeadline` combines the two.
 */
export function deadlineInterceptor(policy: DeadlinePolicy): Interceptor {
  return (next) => (request) => {
    request.contextValues.set(deadlinePolicyKey, policy);
    return next(request);
  };
}

/**
 * Epoch ms by which every downstream call of this request must finish: now + the caller's
 * remaining timeout (or the default), never more than the maximum.
 */
export function downstreamDeadline(context: HandlerContext, now = Date.now()): number {
  const policy = context.values.get(deadlinePolicyKey);
  if (policy.maxMs === 0) throw new Error("deadlineInterceptor is not in the interceptor chain");
  const remaining = context.timeoutMs();
  // connect-node reports an expired timeout as <= 0: the deadline is then already over.
  const timeoutMs = Math.min(remaining ?? policy.defaultMs, policy.maxMs);
  return now + Math.max(timeoutMs, 1);
}
