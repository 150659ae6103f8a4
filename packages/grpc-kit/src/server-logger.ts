import type * as grpc from "@grpc/grpc-js";
import type { Logger } from "@switchyard/logging";

// The server hands its logger to `unary` handlers through the call object, because `unary()`
// is written before the server exists and its signature takes the handler only.
const serverLogger = Symbol("switchyard.grpc-kit.server-logger");

type CallWithLogger = { [serverLogger]?: Logger };

/** Wraps every handler of `implementation` so that the call it receives carries `logger`. */
export function withServerLogger<I extends grpc.UntypedServiceImplementation>(
  implementation: I,
  logger: Logger,
): I {
  const wrapped: grpc.UntypedServiceImplementation = {};
  for (const [name, handler] of Object.entries(implementation)) {
    const original = handler as (call: CallWithLogger, ...rest: unknown[]) => unknown;
    wrapped[name] = ((call: CallWithLogger, ...rest: unknown[]) => {
      call[serverLogger] = logger;
      return original.call(implementation, call, ...rest);
    }) as grpc.UntypedHandleCall;
  }
  return wrapped as I;
}

/** The logger attached by `withServerLogger`, if the call went through a GrpcServer. */
export function serverLoggerOf(call: object): Logger | undefined {
  return (call as CallWithLogger)[serverLogger];
}
