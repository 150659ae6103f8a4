import * as grpc from "@grpc/grpc-js";
import type { MeterProvider } from "@opentelemetry/api";
import { grpcAttributesByPath, rpcInstruments, secondsSince } from "./rpc-instruments.js";

/**
 * Client interceptor recording `rpc.client.call.duration` (s) of every call a grpc-js client
 * makes, by rpc.service, rpc.method and rpc.grpc.status_code (the status the caller sees,
 * DEADLINE_EXCEEDED and UNAVAILABLE included). Without a provider it records on the global one.
 */
export function grpcClientMetricsInterceptor(meterProvider?: MeterProvider): grpc.Interceptor {
  // Built once per method and status code: a call only looks them up.
  const attributesOf = grpcAttributesByPath();
  return (options, nextCall) => {
    const startedAt = process.hrtime.bigint();
    const { path } = options.method_definition;
    return new grpc.InterceptingCall(nextCall(options), {
      start(metadata, _listener, next) {
        // A partial listener: grpc-js passes the other events through unchanged.
        next(metadata, {
          onReceiveStatus(status, nextStatus) {
            rpcInstruments(meterProvider).client.record(
              secondsSince(startedAt),
              attributesOf(path, status.code),
            );
            nextStatus(status);
          },
        });
      },
    });
  };
}
