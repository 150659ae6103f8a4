import * as grpc from "@grpc/grpc-js";
import type { MeterProvider } from "@opentelemetry/api";
import { grpcAttributesByPath, rpcInstruments, secondsSince } from "./rpc-instruments.js";

/**
 * Server interceptor recording `rpc.server.call.duration` (s) for every call a grpc-js server
 * answers, by rpc.service, rpc.method and rpc.grpc.status_code. Put it OUTERMOST, so calls the
 * load shedder or the access policy refuse are counted with their codes too. A call the client
 * cancels records CANCELLED (grpc-js sends no status then).
 */
export function grpcServerMetricsInterceptor(meterProvider: MeterProvider): grpc.ServerInterceptor {
  const { server } = rpcInstruments(meterProvider);
  // Built once per method and status code: a call only looks them up.
  const attributesOf = grpcAttributesByPath();
  return (methodDescriptor, call) => {
    const startedAt = process.hrtime.bigint();
    const { path } = methodDescriptor;
    let recorded = false;
    const record = (code: grpc.status) => {
      if (recorded) return;
      recorded = true;
      server.record(secondsSince(startedAt), attributesOf(path, code));
    };
    return new grpc.ServerInterceptingCall(call, {
      start(next) {
        next({
          onCancel() {
            record(grpc.status.CANCELLED);
          },
        });
      },
      sendStatus(status, next) {
        record(status.code);
        next(status);
      },
    });
  };
}
