import * as grpc from "@grpc/grpc-js";
import {
  HealthCheckResponse_ServingStatus,
  HealthClient,
} from "@switchyard/contracts/grpc/grpc/health/v1/health";
import type { Readiness } from "./components.js";

export interface GrpcTransport {
  credentials: grpc.ChannelCredentials;
  channelOptions: Partial<grpc.ChannelOptions>;
}

/**
 * Polls a component until it says it is ready (grpc.health.v1 SERVING, or HTTP 200 on its
 * readiness path), or rejects after `timeoutMs` with the last answer seen, so a stuck start
 * says why.
 */
export async function waitUntilReady(options: {
  target: string;
  port: number;
  readiness: Readiness;
  timeoutMs: number;
  transport: GrpcTransport;
}): Promise<void> {
  const { readiness } = options;
  const probe =
    readiness.kind === "grpc-health"
      ? grpcHealthProbe(options.target, readiness.service, options.transport)
      : httpProbe(`http://127.0.0.1:${options.port}${readiness.path}`);
  const giveUpAt = Date.now() + options.timeoutMs;
  let lastSeen = "no answer yet";
  try {
    while (Date.now() < giveUpAt) {
      const answer = await probe.check();
      if (answer === "ready") return;
      lastSeen = answer;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  } finally {
    probe.close();
  }
  throw new Error(`${options.target} not ready after ${options.timeoutMs} ms (last: ${lastSeen})`);
}

interface Probe {
  /** "ready", or what was seen instead. */
  check(): Promise<string>;
  close(): void;
}

function grpcHealthProbe(target: string, service: string, transport: GrpcTransport): Probe {
  const client = new HealthClient(target, transport.credentials, transport.channelOptions);
  return {
    check: () =>
      new Promise((resolve) => {
        client.check(
          { service },
          new grpc.Metadata(),
          { deadline: Date.now() + 1000 },
          (error, response) => {
            if (error) return resolve(error.details || error.message);
            resolve(
              response.status === HealthCheckResponse_ServingStatus.SERVING
                ? "ready"
                : (HealthCheckResponse_ServingStatus[response.status] ?? String(response.status)),
            );
          },
        );
      }),
    close: () => client.close(),
  };
}

function httpProbe(url: string): Probe {
  return {
    check: async () => {
      try {
        const response = await fetch(url, { signal: AbortSignal.timeout(1000) });
        return response.status === 200 ? "ready" : `HTTP ${response.status}`;
      } catch (error) {
        return (error as Error).message;
      }
    },
    close: () => {},
  };
}
