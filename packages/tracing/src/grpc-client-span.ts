import * as grpc from "@grpc/grpc-js";
import { context, propagation, SpanKind, trace } from "@opentelemetry/api";
import { grpcMetadataSetter } from "./grpc-metadata-carrier.js";
import { endWithGrpcStatus } from "./grpc-status-spans.js";
import { rpcSpanCache, serverAddressAttributes, tracerName } from "./rpc-span-attributes.js";

/**
 * Client interceptor: one CLIENT span per call, a child of the span active where the call was
 * made, whose context goes out as the `traceparent` metadata (replacing any value set earlier,
 * so what the server sees is always this span). Ended with the call's status. `target` is the
 * channel target, for server.address / server.port.
 */
export function grpcClientSpanInterceptor(target?: string): grpc.Interceptor {
  const tracer = trace.getTracer(tracerName);
  const spanOf = rpcSpanCache("grpc", serverAddressAttributes(target));
  return (options, nextCall) => {
    const parent = context.active();
    const { name, attributes } = spanOf(options.method_definition.path);
    const span = tracer.startSpan(name, { kind: SpanKind.CLIENT, attributes }, parent);
    const callContext = trace.setSpan(parent, span);
    return new grpc.InterceptingCall(nextCall(options), {
      start(metadata, _listener, next) {
        propagation.inject(callContext, metadata, grpcMetadataSetter);
        next(metadata, {
          onReceiveStatus(status, forward) {
            endWithGrpcStatus(span, "client", status.code, status.details);
            forward(status);
          },
        });
      },
    });
  };
}
