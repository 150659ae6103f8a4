import * as http from "node:http";
import * as https from "node:https";
import * as grpc from "@grpc/grpc-js";
import {
  HealthCheckResponse_ServingStatus,
  HealthClient,
} from "@switchyard/contracts/grpc/grpc/health/v1/health";
import type { Readiness } from "./components.js";

export interface GrpcTransport {
  credentials: grpc.ChannelCredentials;
  channelOptions: Partial<grpc.ChannelOptions>;
  /** The same identity for Node TLS (web-bff's probe over mTLS). */
  nodeTls?: https.RequestOptions;
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
      : readiness.tls
        ? httpsProbe(`https://127.0.0.1:${options.port}${readiness.path}`, options.transport)
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

/**
 * GET in cleartext with node:http, not fetch: fetch refuses the Fetch standard's "bad ports"
 * (10080 among them — the gateway's port with DEVSTACK_PORT_OFFSET=2000) with "fetch failed".
 */
function httpProbe(url: string): Probe {
  return {
    check: () =>
      new Promise((resolve) => {
        const request = http.get(url, { agent: false, timeout: 1000 }, (response) => {
          response.resume();
          resolve(response.statusCode === 200 ? "ready" : `HTTP ${response.statusCode}`);
        });
        request.on("timeout", () => request.destroy(new Error("timed out")));
        request.on("error", (error) => resolve(error.message));
      }),
    close: () => {},
  };
}

/** GET over mTLS as the devstack's own workload (web-bff serves nothing in cleartext). */
function httpsProbe(url: string, transport: GrpcTransport): Probe {
  return {
    check: () =>
      new Promise((resolve) => {
        if (transport.nodeTls === undefined) {
          resolve("no TLS identity to probe with");
          return;
        }
        const request = https.get(
          url,
          { ...transport.nodeTls, agent: false, timeout: 1000 },
          (response) => {
            response.resume();
            resolve(response.statusCode === 200 ? "ready" : `HTTP ${response.statusCode}`);
          },
        );
        request.on("timeout", () => request.destroy(new Error("timed out")));
        request.on("error", (error) => resolve(error.message));
      }),
    close: () => {},
  };
}
