import * as grpc from "@grpc/grpc-js";
import {
  HealthCheckResponse_ServingStatus,
  HealthClient,
} from "@switchyard/contracts/grpc/grpc/health/v1/health";

/**
 * Polls grpc.health.v1 until `service` reports SERVING, or rejects after `timeoutMs` with the
 * last status or error seen, so a stuck start says why.
 */
export async function waitUntilServing(options: {
  target: string;
  service: string;
  timeoutMs: number;
}): Promise<void> {
  const client = new HealthClient(options.target, grpc.credentials.createInsecure());
  const giveUpAt = Date.now() + options.timeoutMs;
  let lastSeen = "no answer yet";
  try {
    while (Date.now() < giveUpAt) {
      const status = await new Promise<HealthCheckResponse_ServingStatus>((resolve, reject) => {
        client.check(
          { service: options.service },
          new grpc.Metadata(),
          { deadline: Date.now() + 1000 },
          (error, response) => (error ? reject(error) : resolve(response.status)),
        );
      }).catch((error: grpc.ServiceError) => {
        lastSeen = error.details || error.message;
        return undefined;
      });
      if (status === HealthCheckResponse_ServingStatus.SERVING) return;
      if (status !== undefined)
        lastSeen = HealthCheckResponse_ServingStatus[status] ?? String(status);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    throw new Error(
      `${options.service} at ${options.target} not SERVING after ${options.timeoutMs} ms (last: ${lastSeen})`,
    );
  } finally {
    client.close();
  }
}
