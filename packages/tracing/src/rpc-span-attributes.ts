import type { Attributes } from "@opentelemetry/api";

/** The tracer every Switchyard span is made with (the instrumentation scope). */
export const tracerName = "@switchyard/tracing";

/** RPC semantic conventions (https://opentelemetry.io/docs/specs/semconv/rpc/): the keys used. */
export const rpcAttributes = {
  system: "rpc.system",
  service: "rpc.service",
  method: "rpc.method",
  grpcStatusCode: "rpc.grpc.status_code",
  connectErrorCode: "rpc.connect_rpc.error_code",
  serverAddress: "server.address",
  serverPort: "server.port",
  peerAddress: "network.peer.address",
} as const;

export interface RpcSpan {
  readonly name: string;
  readonly attributes: Readonly<Attributes>;
}

// Spans are started per call on a handful of paths: each path is parsed once. Bounded, so a
// client calling made-up paths cannot grow it without limit (it is then just not cached).
const maxCachedPaths = 1_000;
const rpcSpans = { grpc: new Map<string, RpcSpan>(), connect_rpc: new Map<string, RpcSpan>() };

/**
 * Span name and attributes of a call to "/package.Service/Method" (a gRPC path). The result is
 * shared between calls and frozen: copy it to add attributes (`withAttributes`).
 */
export function rpcSpanOf(path: string, system: "grpc" | "connect_rpc"): RpcSpan {
  const cache = rpcSpans[system];
  const cached = cache.get(path);
  if (cached !== undefined) return cached;
  const match = /^\/?([^/]+)\/([^/]+)$/.exec(path);
  const service = match?.[1] ?? "unknown";
  const method = match?.[2] ?? path;
  const span: RpcSpan = Object.freeze({
    name: `${service}/${method}`,
    attributes: Object.freeze({
      [rpcAttributes.system]: system,
      [rpcAttributes.service]: service,
      [rpcAttributes.method]: method,
    }),
  });
  if (cache.size < maxCachedPaths) cache.set(path, span);
  return span;
}

/**
 * `span` with `extra` attributes, cached per path for one fixed `extra` (a client's server
 * address): what a client interceptor starts its spans with.
 */
export function rpcSpanCache(
  system: "grpc" | "connect_rpc",
  extra: Readonly<Attributes>,
): (path: string) => RpcSpan {
  const cache = new Map<string, RpcSpan>();
  return (path) => {
    const cached = cache.get(path);
    if (cached !== undefined) return cached;
    const base = rpcSpanOf(path, system);
    const span: RpcSpan = Object.freeze({
      name: base.name,
      attributes: Object.freeze({ ...base.attributes, ...extra }),
    });
    if (cache.size < maxCachedPaths) cache.set(path, span);
    return span;
  };
}

/** "host:port" (or "dns:///host:port", "[::1]:port") → server.address / server.port. */
export function serverAddressAttributes(target: string | undefined): Attributes {
  if (target === undefined) return {};
  const withoutScheme = target.replace(/^[a-z]+:\/{0,3}/i, "");
  const match = /^\[?([^\]]*?)\]?(?::(\d+))?$/.exec(withoutScheme.split("/")[0] ?? "");
  if (!match?.[1]) return {};
  return {
    [rpcAttributes.serverAddress]: match[1],
    ...(match[2] === undefined ? {} : { [rpcAttributes.serverPort]: Number(match[2]) }),
  };
}
