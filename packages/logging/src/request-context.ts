import { AsyncLocalStorage } from "node:async_hooks";

/** What every log line written while handling one request carries. */
export interface RequestContext {
  requestId: string;
}

// Module-level on purpose: the store must be the same object for whoever opens a context
// (grpc-kit's `unary`) and for every logger that reads it, across packages.
const storage = new AsyncLocalStorage<RequestContext>();

/** Runs `fn` with `context` as the current request context, across every await inside it. */
export function runWithRequestContext<T>(context: RequestContext, fn: () => T): T {
  return storage.run(context, fn);
}

/** The request id of the context the caller runs in, or undefined outside any request. */
export function currentRequestId(): string | undefined {
  return storage.getStore()?.requestId;
}
