import { type Context, type ContextManager, ROOT_CONTEXT } from "@opentelemetry/api";
import { currentRequestScope, runInRequestScope } from "./request-scope.js";

/**
 * OpenTelemetry's context manager on the request scope's AsyncLocalStorage (see
 * request-scope.ts: one per process, shared with the request id), instead of the SDK's
 * AsyncLocalStorageContextManager, which would add a second. Register it with the tracer
 * provider (`provider.register({ contextManager })`).
 *
 * `bind` binds functions; anything else (an EventEmitter) is returned as it is: nothing in
 * Switchyard binds emitters, and the SDK's own use is `with`.
 */
export class RequestScopeContextManager implements ContextManager {
  active(): Context {
    return currentRequestScope()?.telemetry ?? ROOT_CONTEXT;
  }

  with<A extends unknown[], F extends (...args: A) => ReturnType<F>>(
    context: Context,
    fn: F,
    thisArg?: ThisParameterType<F>,
    ...args: A
  ): ReturnType<F> {
    const scope = currentRequestScope();
    return runInRequestScope({ requestId: scope?.requestId, telemetry: context }, () =>
      fn.apply(thisArg, args),
    );
  }

  bind<T>(context: Context, target: T): T {
    if (typeof target !== "function") return target;
    const manager = this;
    const bound = function (this: unknown, ...args: unknown[]) {
      return manager.with(context, () => target.apply(this, args));
    };
    return bound as T;
  }

  /** The store belongs to the request scope: nothing to switch on. */
  enable(): this {
    return this;
  }

  /** The store stays: request ids still need it when tracing stops. */
  disable(): this {
    return this;
  }
}
