import type * as grpc from "@grpc/grpc-js";
import { grpcClientMetricsInterceptor, type MeterProvider } from "@switchyard/metrics";
import { grpcClientSpanInterceptor } from "@switchyard/tracing";
import { keyedWriteGuard } from "./keyed-write-guard.js";
import { callDefaultsInterceptor } from "./request-id-interceptor.js";
import { clientServiceConfig, methodsSafeToRetry } from "./retry-policy.js";

export interface GrpcClientOptions {
  /**
   * A topology target: "127.0.0.1:50051", several replicas as "ipv4:127.0.0.1:50051,127.0.0.1:50061",
   * or "dns:///user-service.<ns>.svc.cluster.local:50051" (every address behind the name).
   */
  target: string;
  /**
   * Required: from `WorkloadIdentity.clientTransport(server)` in services; a test that wants
   * plaintext passes `grpc.credentials.createInsecure()` explicitly. There is no default.
   */
  credentials: grpc.ChannelCredentials;
  /** Deadline for calls that set none (default 5000 ms). */
  defaultDeadlineMs?: number;
  /** Extra channel options, e.g. from `WorkloadIdentity.clientTransport()` (TLS name override). */
  channelOptions?: Partial<grpc.ChannelOptions>;
  /**
   * Where `rpc.client.call.duration` is recorded: the host's provider (services pass theirs, so
   * in-process stacks keep each host's calls apart); default the process's global provider.
   */
  meterProvider?: MeterProvider;
  /**
   * Writes (method names, e.g. "PlaceOrder") that the server deduplicates by idempotency key:
   * retried on UNAVAILABLE like reads, and refused locally when a call carries no key.
   */
  retriedWritesWithKey?: string[];
}

type ClientConstructor<C extends grpc.Client> = (new (
  address: string,
  credentials: grpc.ChannelCredentials,
  options?: Partial<grpc.ChannelOptions>,
) => C) & {
  /** Set by grpc-js `makeGenericClientConstructor` (every generated client). */
  serviceName?: string;
};

/**
 * Creates a generated client (e.g. `UserServiceClient`) that balances round-robin over every
 * address the target resolves to, retries on UNAVAILABLE only what is safe to run twice (reads
 * per the proto's idempotency level, plus `retriedWritesWithKey`), throttles those retries,
 * gives calls without a deadline the default one, and forwards the current request id and trace
 * context (a CLIENT span per call, when tracing is on).
 */
export function createGrpcClient<C extends grpc.Client>(
  Client: ClientConstructor<C>,
  options: GrpcClientOptions,
): C {
  const serviceName = Client.serviceName ?? "";
  const keyedWrites = options.retriedWritesWithKey ?? [];
  const serviceConfig = clientServiceConfig(serviceName, [
    ...methodsSafeToRetry(serviceName),
    ...keyedWrites,
  ]);
  return new Client(options.target, options.credentials, {
    // A replica restarted in a rolling update is dialled again within 2 s (grpc-js backs off
    // up to 120 s by default), so it takes its share before the next replica goes.
    "grpc.max_reconnect_backoff_ms": 2_000,
    // Nothing serves channelz (no channelz service is registered anywhere): without this every
    // call still updates its counters and timestamps at the channel, subchannel and transport.
    "grpc.enable_channelz": 0,
    ...options.channelOptions,
    "grpc.service_config": JSON.stringify(serviceConfig),
    interceptors: [
      grpcClientSpanInterceptor(options.target),
      grpcClientMetricsInterceptor(options.meterProvider),
      // requestIdInterceptor + defaultDeadlineInterceptor as one intercepting call.
      callDefaultsInterceptor(options.defaultDeadlineMs ?? 5000),
      ...(keyedWrites.length === 0
        ? []
        : [keyedWriteGuard(new Set(keyedWrites.map((method) => `/${serviceName}/${method}`)))]),
    ],
  });
}
