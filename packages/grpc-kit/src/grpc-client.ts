import * as grpc from "@grpc/grpc-js";
import { defaultDeadlineInterceptor } from "./deadline-interceptor.js";
import { requestIdInterceptor } from "./request-id-interceptor.js";

export interface GrpcClientOptions {
  /** A topology target: "127.0.0.1:50051" or "dns:///user-service.<ns>.svc.cluster.local:50051". */
  target: string;
  /** From `WorkloadIdentity.clientTransport(server)` in services; insecure (plaintext) if omitted. */
  credentials?: grpc.ChannelCredentials;
  /** Deadline for calls that set none (default 5000 ms). */
  defaultDeadlineMs?: number;
  /** Extra channel options, e.g. from `WorkloadIdentity.clientTransport()` (TLS name override). */
  channelOptions?: Partial<grpc.ChannelOptions>;
}

type ClientConstructor<C extends grpc.Client> = new (
  address: string,
  credentials: grpc.ChannelCredentials,
  options?: Partial<grpc.ChannelOptions>,
) => C;

/**
 * Creates a generated client (e.g. `UserServiceClient`) that balances round-robin over every
 * address the target resolves to, gives calls without a deadline the default one, and forwards
 * the current request id.
 */
export function createGrpcClient<C extends grpc.Client>(
  Client: ClientConstructor<C>,
  options: GrpcClientOptions,
): C {
  return new Client(options.target, options.credentials ?? grpc.credentials.createInsecure(), {
    ...options.channelOptions,
    "grpc.service_config": JSON.stringify({ loadBalancingConfig: [{ round_robin: {} }] }),
    interceptors: [
      requestIdInterceptor(),
      defaultDeadlineInterceptor(options.defaultDeadlineMs ?? 5000),
    ],
  });
}
