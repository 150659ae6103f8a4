import * as grpc from "@grpc/grpc-js";
import { context, propagation, SpanKind, trace } from "@opentelemetry/api";
import { grpcMetadataGetter } from "./grpc-metadata-carrier.js";
import { endWithGrpcStatus } from "./grpc-status-spans.js";
import { type RpcSpan, rpcAttributes, rpcSpanOf, tracerName } from "./rpc-span-attributes.js";

/**
 * Server interceptor: one SERVER span per call, a child of the caller's `traceparent` metadata
 * (the parent-based sampler follows its sampled flag), ended with the status the call ends
 * with — including a refusal by a later interceptor. It must be FIRST in grpc-js's interceptor
 * list: grpc-js hands incoming events to the first one first and outgoing ones to it last.
 * The rest of the call (the other interceptors, the handler and everything it awaits) runs
 * with the span active, so database, outbox and client spans become its children and log
 * lines carry its ids. Without a registered provider the span is a no-op: nothing is recorded,
 * the call still passes through this interceptor's layer.
 */
export function grpcServerSpanInterceptor(): grpc.ServerInterceptor {
  const tracer = trace.getTracer(tracerName);
  // Span name and attributes per method and peer address, built once (bounded: see spanOf).
  const spans = new Map<string, RpcSpan>();
  const spanOf = (path: string, peer: string | undefined): RpcSpan => {
    const key = peer === undefined ? path : `${path} ${peer}`;
    const cached = spans.get(key);
    if (cached !== undefined) return cached;
    const base = rpcSpanOf(path, "grpc");
    const span: RpcSpan =
      peer === undefined
        ? base
        : Object.freeze({
            name: base.name,
            attributes: Object.freeze({ ...base.attributes, [rpcAttributes.peerAddress]: peer }),
          });
    if (spans.size < 1_000) spans.set(key, span);
    return span;
  };
  return (methodDescriptor, call) => {
    let active = context.active();
    let span: ReturnType<typeof tracer.startSpan> | undefined;
    return new grpc.ServerInterceptingCall(call, {
      start(next) {
        next({
          onReceiveMetadata(metadata, forward) {
            const parent = propagation.extract(context.active(), metadata, grpcMetadataGetter);
            const { name, attributes } = spanOf(
              methodDescriptor.path,
              call.getConnectionInfo().remoteAddress,
            );
            span = tracer.startSpan(name, { kind: SpanKind.SERVER, attributes }, parent);
            active = trace.setSpan(parent, span);
            context.with(active, () => forward(metadata));
          },
          onReceiveMessage(message, forward) {
            context.with(active, () => forward(message));
          },
          onReceiveHalfClose(forward) {
            context.with(active, () => forward());
          },
          onCancel() {
            if (span?.isRecording())
              endWithGrpcStatus(span, "server", grpc.status.CANCELLED, "cancelled");
          },
        });
      },
      sendStatus(status, next) {
        if (span?.isRecording()) endWithGrpcStatus(span, "server", status.code, status.details);
        next(status);
      },
    });
  };
}
