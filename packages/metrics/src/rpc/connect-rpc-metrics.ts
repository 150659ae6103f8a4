import { Code, ConnectError, type Interceptor } from "@connectrpc/connect";
import { type Attributes, type MeterProvider, metrics } from "@opentelemetry/api";
import { rpcInstruments, secondsSince, servingHostMeterProvider } from "./rpc-instruments.js";

type Side = "server" | "client";

/**
 * Server interceptor recording `rpc.server.call.duration` (s) for every call a Connect server
 * answers, by rpc.service, rpc.method and — on errors only, as the RPC semantic conventions
 * say — rpc.connect_rpc.error_code ("invalid_argument", ...). Put it OUTERMOST, so calls refused
 * by authentication or rate limits are counted too. Streaming calls count until the handler
 * returns its response.
 */
export function connectServerMetricsInterceptor(meterProvider: MeterProvider): Interceptor {
  return connectMetricsInterceptor("server", meterProvider);
}

/**
 * Client interceptor recording `rpc.client.call.duration` (s) of Connect calls (e.g. gateway →
 * web-bff), attributes as on the server. Without a provider it records on the global one.
 */
export function connectClientMetricsInterceptor(meterProvider?: MeterProvider): Interceptor {
  return connectMetricsInterceptor("client", meterProvider);
}

function connectMetricsInterceptor(
  side: Side,
  meterProvider: MeterProvider | undefined,
): Interceptor {
  // One attribute set per method (and per method and error code), built once: a call only
  // reads them.
  const attributesOf = methodAttributes();
  const errorAttributesOf = methodErrorAttributes(attributesOf);
  const recordFailure = (request: Call, startedAt: bigint, error: unknown): never => {
    rpcInstruments(meterProvider)[side].record(
      secondsSince(startedAt),
      errorAttributesOf(request, ConnectError.from(error).code),
    );
    throw error;
  };
  // Per call: anonymous arrows only (run from source, tsx names every named closure it makes).
  return (next) => (request) => {
    const startedAt = process.hrtime.bigint();
    let response: ReturnType<typeof next>;
    try {
      // The server side runs the handler in its host's scope, so its client calls record there.
      // A host that is the process's global provider, outside any other host's scope, needs no
      // scope: those calls fall back to the global provider, i.e. to it (every deployed process).
      response =
        side === "server" && meterProvider !== undefined && needsScope(meterProvider)
          ? servingHostMeterProvider.run(meterProvider, () => next(request))
          : next(request);
    } catch (error) {
      // An interceptor further in threw before returning its promise.
      return Promise.reject(error).catch((reason: unknown) =>
        recordFailure(request, startedAt, reason),
      );
    }
    return response.then(
      (answer) => {
        rpcInstruments(meterProvider)[side].record(secondsSince(startedAt), attributesOf(request));
        return answer;
      },
      (error: unknown) => recordFailure(request, startedAt, error),
    );
  };
}

function needsScope(meterProvider: MeterProvider): boolean {
  return (
    servingHostMeterProvider.getStore() !== undefined ||
    metrics.getMeterProvider() !== meterProvider
  );
}

/** What the attributes are made of: the call's service and method. */
interface Call {
  service: { typeName: string };
  method: { name: string };
}

function methodAttributes(): (call: Call) => Attributes {
  const byMethod = new WeakMap<object, Attributes>();
  return (call) => {
    let attributes = byMethod.get(call.method);
    if (attributes === undefined) {
      attributes = {
        "rpc.system": "connect_rpc",
        "rpc.service": call.service.typeName,
        "rpc.method": call.method.name,
      };
      byMethod.set(call.method, attributes);
    }
    return attributes;
  };
}

function methodErrorAttributes(
  attributesOf: (call: Call) => Attributes,
): (call: Call, code: Code) => Attributes {
  const byMethod = new WeakMap<object, Map<Code, Attributes>>();
  return (call, code) => {
    let byCode = byMethod.get(call.method);
    if (byCode === undefined) {
      byCode = new Map();
      byMethod.set(call.method, byCode);
    }
    let attributes = byCode.get(code);
    if (attributes === undefined) {
      attributes = {
        ...attributesOf(call),
        "rpc.connect_rpc.error_code": connectErrorCodeName(code),
      };
      byCode.set(code, attributes);
    }
    return attributes;
  };
}

/** Code.InvalidArgument → "invalid_argument", the Connect protocol's name of the code. */
export function connectErrorCodeName(code: Code): string {
  const name = Code[code];
  return name === undefined ? "unknown" : name.replace(/([a-z])([A-Z])/g, "$1_$2").toLowerCase();
}
