import https from "node:https";
import * as grpc from "@grpc/grpc-js";
import {
  HealthCheckResponse_ServingStatus,
  HealthClient,
} from "@switchyard/contracts/grpc/grpc/health/v1/health";
import type { WorkloadIdentity } from "@switchyard/workload-identity";

/** What a probe saw: the health status name, `HTTP <code> <body>`, or the error. */
export type ProbeAnswer = string;

/** grpc.health.v1 Check over mTLS, as `identity`; answers e.g. "SERVING" or the error. */
export function grpcHealthStatus(
  identity: WorkloadIdentity,
  server: string,
  port: number,
  service: string,
): Promise<ProbeAnswer> {
  const transport = identity.clientTransport(server);
  const client = new HealthClient(
    `127.0.0.1:${port}`,
    transport.credentials,
    transport.channelOptions,
  );
  return new Promise<ProbeAnswer>((resolve) => {
    client.check(
      { service },
      new grpc.Metadata(),
      { deadline: Date.now() + 2000 },
      (error, reply) => {
        if (error) resolve(`${grpc.status[error.code]}: ${error.details}`);
        else resolve(HealthCheckResponse_ServingStatus[reply.status] ?? String(reply.status));
      },
    );
  }).finally(() => client.close());
}

/** GET over HTTP/1.1 (mTLS as `identity` when `tls`); answers `HTTP <code> <body>`. */
export async function httpGet(
  identity: WorkloadIdentity,
  server: string,
  port: number,
  path: string,
  tls: boolean,
): Promise<ProbeAnswer> {
  if (!tls) {
    try {
      const response = await fetch(`http://127.0.0.1:${port}${path}`, {
        signal: AbortSignal.timeout(2000),
      });
      return `HTTP ${response.status} ${(await response.text()).trim()}`;
    } catch (error) {
      return (error as Error).message;
    }
  }
  const nodeTls = identity.clientTransport(server).nodeTls;
  if (nodeTls === undefined) return "no TLS identity to probe with";
  return new Promise((resolve) => {
    const request = https.get(
      `https://127.0.0.1:${port}${path}`,
      { ...nodeTls, agent: false, timeout: 2000 },
      (response) => {
        let body = "";
        response.setEncoding("utf8").on("data", (chunk: string) => {
          body += chunk;
        });
        response.on("end", () => resolve(`HTTP ${response.statusCode} ${body.trim()}`));
      },
    );
    request.on("timeout", () => request.destroy(new Error("timed out")));
    request.on("error", (error) => resolve(error.message));
  });
}

/**
 * Asks `probe` every 500 ms until `done(answer)` or `timeoutMs`; resolves with the last answer
 * and how long it took, so a failing assertion shows what the container said instead.
 */
export async function pollUntil(
  probe: () => Promise<ProbeAnswer>,
  done: (answer: ProbeAnswer) => boolean,
  timeoutMs: number,
): Promise<{ answer: ProbeAnswer; elapsedMs: number }> {
  const started = performance.now();
  let answer = await probe();
  while (!done(answer) && performance.now() - started < timeoutMs) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    answer = await probe();
  }
  return { answer, elapsedMs: performance.now() - started };
}
