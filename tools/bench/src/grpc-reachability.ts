import * as grpc from "@grpc/grpc-js";
import type { ClientTransport } from "@switchyard/workload-identity";

/** True when a gRPC server completes a (TLS) connection at `target` within `timeoutMs`. */
export function waitForGrpcTarget(
  target: string,
  transport: ClientTransport,
  timeoutMs: number,
): Promise<boolean> {
  const client = new grpc.Client(target, transport.credentials, transport.channelOptions);
  return new Promise((resolve) => {
    client.waitForReady(Date.now() + timeoutMs, (error) => {
      client.close();
      resolve(error === undefined || error === null);
    });
  });
}
