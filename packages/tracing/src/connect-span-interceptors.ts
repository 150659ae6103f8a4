import type { Interceptor, StreamResponse, UnaryResponse } from "@connectrpc/connect";
import {
  context,
  propagation,
  type Span,
  SpanKind,
  type TextMapGetter,
  type TextMapSetter,
  trace,
} from "@opentelemetry/api";
import { recordConnectError } from "./connect-span-status.js";
import {
  type RpcSpan,
  rpcSpanCache,
  rpcSpanOf,
  serverAddressAttributes,
  tracerName,
} from "./rpc-span-attributes.js";

const headersGetter: TextMapGetter<Headers> = {
  keys: (headers) => [...headers.keys()],
  get: (headers, key) => headers.get(key) ?? undefined,
};
const headersSetter: TextMapSetter<Headers> = {
  set: (headers, key, value) => headers.set(key, value),
};

/**
 * Connect server interceptor, FIRST in a deployable's chain: one SERVER span per call, a child
 * of the request's W3C `traceparent` header when it carries one (so a caller's trace continues
 * through Switchyard; the parent-based sampler honours its sampled flag), else a new trace.
 * The rest of the chain and the handler run with the span active.
 */
export function connectServerSpanInterceptor(): Interceptor {
  const tracer = trace.getTracer(tracerName);
  return (next) => async (request) => {
    const parent = propagation.extract(context.active(), request.header, headersGetter);
    const { name, attributes } = rpcSpanOf(pathOf(request), "connect_rpc");
    const span = tracer.startSpan(name, { kind: SpanKind.SERVER, attributes }, parent);
    return traced(span, "server", () =>
      context.with(trace.setSpan(parent, span), () => next(request)),
    );
  };
}

/**
 * Connect client interceptor (a deployable calling another over Connect/gRPC): one CLIENT span
 * per call, its context sent as `traceparent`. `target` is the peer's address.
 */
export function connectClientSpanInterceptor(target?: string): Interceptor {
  const tracer = trace.getTracer(tracerName);
  // One cache per peer address (fixed with `target`, else read from each request's URL).
  const byHost = new Map<string | undefined, (path: string) => RpcSpan>();
  return (next) => async (request) => {
    const parent = context.active();
    const host = target ?? hostOf(request.url);
    let spanOf = byHost.get(host);
    if (spanOf === undefined) {
      spanOf = rpcSpanCache("connect_rpc", serverAddressAttributes(host));
      if (byHost.size < 100) byHost.set(host, spanOf);
    }
    const { name, attributes } = spanOf(pathOf(request));
    const span = tracer.startSpan(name, { kind: SpanKind.CLIENT, attributes }, parent);
    const callContext = trace.setSpan(parent, span);
    propagation.inject(callContext, request.header, headersSetter);
    return traced(span, "client", () => context.with(callContext, () => next(request)));
  };
}

/** Runs the call; ends the span when a unary response arrives or a streamed one is consumed. */
async function traced<R extends UnaryResponse | StreamResponse>(
  span: Span,
  kind: "client" | "server",
  call: () => Promise<R>,
): Promise<R> {
  let response: R;
  try {
    response = await call();
  } catch (error) {
    recordConnectError(span, kind, error);
    span.end();
    throw error;
  }
  if (!response.stream) {
    span.end();
    return response;
  }
  return { ...response, message: endWhenConsumed(response.message, span, kind) };
}

async function* endWhenConsumed<T>(
  messages: AsyncIterable<T>,
  span: Span,
  kind: "client" | "server",
): AsyncIterable<T> {
  try {
    yield* messages;
  } catch (error) {
    recordConnectError(span, kind, error);
    throw error;
  } finally {
    span.end();
  }
}

/** "package.Service/Method" of a Connect call (what `rpcSpanOf` parses). */
function pathOf(request: { service: { typeName: string }; method: { name: string } }): string {
  return `${request.service.typeName}/${request.method.name}`;
}

function hostOf(url: string): string | undefined {
  try {
    return new URL(url).host;
  } catch {
    return undefined;
  }
}
