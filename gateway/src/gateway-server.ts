import type * as http2 from "node:http2";
import type { Socket } from "node:net";
import type { ConnectRouter, Interceptor } from "@connectrpc/connect";
import { connectNodeAdapter } from "@connectrpc/connect-node";
import type { HealthRegistry } from "@switchyard/lifecycle";
import type { Logger } from "@switchyard/logging";
import { createCleartextServer } from "./http/cleartext-server.js";
import { type DeprecationPolicy, deprecationHeaders } from "./http/deprecation-headers.js";
import { serveHealthEndpoints } from "./http/health-endpoints.js";
import { stripIdentityHeaders } from "./http/identity-headers.js";
import type { NodeRequest, NodeResponse } from "./http/node-http-types.js";
import { answerUnknownRoute } from "./http/unknown-route.js";

export interface GatewayServerOptions {
  logger: Logger;
  health: HealthRegistry;
  /** Registers every public service (see `gatewayRoutes`). */
  routes: (router: ConnectRouter) => void;
  /** Cross-cutting concerns, outermost first. */
  interceptors: Interceptor[];
  /** API versions whose every response carries Deprecation/Sunset/Link headers. */
  deprecations: DeprecationPolicy[];
  /** Largest request message; larger ones get resource_exhausted. */
  maxBodyBytes: number;
}

export interface GatewayServer {
  /** Binds host:port (0 = any free port) and resolves with the bound port. */
  listen(host: string, port: number): Promise<number>;
  /** Stops accepting, lets in-flight calls finish for up to graceMs, then cuts what is left. */
  close(graceMs: number): Promise<void>;
}

/**
 * The gateway's one port: Connect (JSON and binary), gRPC and gRPC-Web on HTTP/2 cleartext
 * (prior knowledge) and HTTP/1.1 alike, plus GET /healthz and /readyz for probes.
 */
export function createGatewayServer(options: GatewayServerOptions): GatewayServer {
  const shutdownSignal = new AbortController();
  const connect = connectNodeAdapter({
    routes: options.routes,
    interceptors: options.interceptors,
    readMaxBytes: options.maxBodyBytes,
    shutdownSignal: shutdownSignal.signal,
    fallback: answerUnknownRoute,
  });
  const health = serveHealthEndpoints(options.health);
  const markDeprecated = options.deprecations.map(deprecationHeaders);
  const connections = trackConnections();

  const { server, http2: h2 } = createCleartextServer((request, response) => {
    connections.requestStarted(request, response);
    if (health(request, response)) return;
    const stripped = stripIdentityHeaders(request);
    if (stripped.length > 0) {
      options.logger.debug({ headers: stripped }, "client-sent identity headers removed");
    }
    for (const mark of markDeprecated) mark(request, response);
    connect(request, response);
  });
  server.on("connection", connections.add);
  h2.on("session", connections.addSession);

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

/**
 * Knows every open connection so close() can end idle ones at once: HTTP/2 sessions get a
 * GOAWAY (in-flight streams finish), HTTP/1.1 keep-alive sockets close when their last response
 * is done. Without this an idle keep-alive client would hold shutdown for the whole grace.
 */
function trackConnections() {
  const sockets = new Set<Socket>();
  const sessions = new Set<http2.Http2Session>();
  const inFlight = new Map<Socket, number>();
  let draining = false;

  const endIfIdle = (socket: Socket) => {
    if (draining && (inFlight.get(socket) ?? 0) === 0) socket.end();
  };

  return {
    add(socket: Socket) {
      sockets.add(socket);
      socket.once("close", () => {
        sockets.delete(socket);
        inFlight.delete(socket);
      });
    },
    addSession(session: http2.Http2Session) {
      sessions.add(session);
      session.once("close", () => sessions.delete(session));
      if (draining) session.close();
    },
    requestStarted(request: NodeRequest, response: NodeResponse) {
      if (request.httpVersionMajor !== 1) return;
      const socket = request.socket as Socket;
      inFlight.set(socket, (inFlight.get(socket) ?? 0) + 1);
      if (draining) response.setHeader("connection", "close");
      response.once("close", () => {
        inFlight.set(socket, (inFlight.get(socket) ?? 1) - 1);
        endIfIdle(socket);
      });
    },
    drain() {
      draining = true;
      for (const session of sessions) session.close();
      for (const socket of inFlight.keys()) endIfIdle(socket);
    },
    destroyAll() {
      for (const session of sessions) session.destroy();
      for (const socket of sockets) socket.destroy();
    },
  };
}
