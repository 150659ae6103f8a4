import { setMaxListeners } from "node:events";
import type { Server } from "node:net";
import {
  type ConnectRouter,
  type ContextValues,
  createContextValues,
  type Interceptor,
} from "@connectrpc/connect";
import { connectNodeAdapter } from "@connectrpc/connect-node";
import type { HealthRegistry } from "@switchyard/lifecycle";
import type { Logger } from "@switchyard/logging";
import type { WorkloadIdentity } from "@switchyard/workload-identity";
import { createCleartextServer } from "./cleartext-server.js";
import { validateConditionalGet } from "./conditional-get.js";
import { trackConnections } from "./connection-tracker.js";
import { serveHealthEndpoints } from "./health-endpoints.js";
import { answerMalformedRequestsAsInvalidArgument } from "./malformed-request-status.js";
import { createMutualTlsServer } from "./mutual-tls-server.js";
import type { NodeRequest, NodeResponse } from "./node-http-types.js";
import { answerUnknownRoute } from "./unknown-route.js";

/** Runs before routing; may change the request (e.g. drop headers) or set response headers. */
export type RequestHook = (request: NodeRequest, response: NodeResponse) => void;

export interface ConnectHttpServerOptions {
  logger: Logger;
  health: HealthRegistry;
  routes: (router: ConnectRouter) => void;
  /** Outermost first (`standardInterceptors`). */
  interceptors: Interceptor[];
  /** Largest request message; larger ones get resource_exhausted. */
  maxBodyBytes: number;
  requestHooks?: RequestHook[];
  /** Context values every call starts with, from the HTTP request (e.g. the calling workload). */
  contextValues?: (request: NodeRequest, values: ContextValues) => void;
  /**
   * Serve over mutual TLS with this workload's certificate (HTTP/2 and HTTP/1.1 by ALPN);
   * otherwise cleartext HTTP/1.1 + h2c on one port.
   */
  mutualTls?: WorkloadIdentity | undefined;
}

export interface ConnectHttpServer {
  /** Binds host:port (0 = any free port) and resolves with the bound port. */
  listen(host: string, port: number): Promise<number>;
  /** Stops accepting, lets in-flight calls finish for up to graceMs, then cuts what is left. */
  close(graceMs: number): Promise<void>;
}

/**
 * One port for everything a Connect deployable speaks: Connect (JSON and binary), gRPC and
 * gRPC-Web over HTTP/2 and HTTP/1.1, plus GET /healthz and /readyz for probes; unknown paths
 * are answered in the caller's protocol.
 */
export function createConnectHttpServer(options: ConnectHttpServerOptions): ConnectHttpServer {
  const shutdownSignal = new AbortController();
  // Every in-flight call links its own signal to this one: hundreds of listeners are normal.
  setMaxListeners(0, shutdownSignal.signal);
  const { contextValues } = options;
  const connect = connectNodeAdapter({
    routes: (router) => {
      options.routes(router);
      answerMalformedRequestsAsInvalidArgument(router);
    },
    interceptors: options.interceptors,
    readMaxBytes: options.maxBodyBytes,
    shutdownSignal: shutdownSignal.signal,
    fallback: answerUnknownRoute,
    ...(contextValues === undefined
      ? {}
      : {
          contextValues: (request: NodeRequest) => {
            const values = createContextValues();
            contextValues(request, values);
            return values;
          },
        }),
  });
  const health = serveHealthEndpoints(options.health);
  const hooks = options.requestHooks ?? [];
  const connections = trackConnections();

  const handler = (request: NodeRequest, response: NodeResponse) => {
    connections.requestStarted(request, response);
    if (health(request, response)) return;
    for (const hook of hooks) hook(request, response);
    validateConditionalGet(request, response); // ETag / 304 for Connect GET reads
    connect(request, response);
  };

  let server: Server;
  let stopFollowingRenewals = () => {};
  if (options.mutualTls === undefined) {
    const cleartext = createCleartextServer(handler);
    server = cleartext.server;
    server.on("connection", connections.add);
    cleartext.http2.on("session", connections.addSession);
  } else {
    const tls = createMutualTlsServer(options.mutualTls, handler);
    server = tls.server;
    stopFollowingRenewals = tls.stopFollowingRenewals;
    // Raw sockets too: a client stuck in the handshake must not hold close() past the grace.
    tls.server.on("connection", connections.add);
    tls.server.on("secureConnection", connections.add);
    tls.server.on("session", connections.addSession);
  }

  return {
    listen(host, port) {
      return new Promise((resolve, reject) => {
        server.once("error", reject);
        server.listen(port, host, () => {
          server.off("error", reject);
          const address = server.address();
          resolve(typeof address === "object" && address !== null ? address.port : port);
        });
      });
    },
    async close(graceMs) {
      stopFollowingRenewals();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      connections.drain();
      const timer = setTimeout(() => {
        options.logger.warn({ graceMs }, "grace period over: cutting remaining connections");
        shutdownSignal.abort();
        connections.destroyAll();
      }, graceMs);
      await closed;
      clearTimeout(timer);
    },
  };
}
