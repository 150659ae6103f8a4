import * as http from "node:http";
import * as http2 from "node:http2";
import * as net from "node:net";

export type RequestHandler = (
  request: http.IncomingMessage | http2.Http2ServerRequest,
  response: http.ServerResponse | http2.Http2ServerResponse,
) => void;

export interface HttpServer {
  /** Binds and resolves with the port (0 asks the OS for a free one). */
  listen(host: string, port: number): Promise<number>;
  /**
   * Stops accepting connections and lets in-flight requests finish: HTTP/2 sessions get a
   * GOAWAY, idle HTTP/1.1 keep-alive connections are closed, busy ones after their response.
   * Whatever is still open after `graceMs` is cut.
   */
  close(graceMs: number): Promise<void>;
}

// Every HTTP/2 prior-knowledge connection opens with "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".
const http2PrefaceStart = Buffer.from("PRI ");
const prefaceTimeoutMs = 10_000;

/**
 * One port for every protocol the BFF speaks: HTTP/2 cleartext (gRPC, and Connect with prior
 * knowledge) and HTTP/1.1 (Connect, gRPC-Web, curl). Node 20's `http2.createServer` cannot
 * serve HTTP/1.1 without TLS (`allowHTTP1` needs ALPN), so each connection's first bytes pick
 * the server that gets it.
 */
export function createHttpServer(handler: RequestHandler): HttpServer {
  let closing = false;
  const sockets = new Set<net.Socket>();
  const sessions = new Set<http2.ServerHttp2Session>();

  // HTTP/1.1 connections and how many requests each is serving: idle ones can be closed at once.
  const http1Connections = new Map<net.Socket, number>();

  const http1Server = http.createServer((request, response) => {
    const socket = request.socket;
    http1Connections.set(socket, (http1Connections.get(socket) ?? 0) + 1);
    // Once draining, finish the response in hand, then close: the client reconnects elsewhere.
    if (closing) response.setHeader("connection", "close");
    response.on("close", () => {
      http1Connections.set(socket, (http1Connections.get(socket) ?? 1) - 1);
      if (closing) socket.end();
    });
    handler(request, response);
  });
  http1Server.on("connection", (socket: net.Socket) => {
    http1Connections.set(socket, 0);
    socket.on("close", () => http1Connections.delete(socket));
  });
  const http2Server = http2.createServer(handler);
  http2Server.on("session", (session) => {
    sessions.add(session);
    session.on("close", () => sessions.delete(session));
    if (closing) session.close();
  });

  // Connections that have not yet sent enough bytes to pick a protocol.
  const undecided = new Set<net.Socket>();

  const listener = net.createServer((socket) => {
    sockets.add(socket);
    undecided.add(socket);
    socket.on("close", () => {
      sockets.delete(socket);
      undecided.delete(socket);
    });
    dispatchByPreface(socket, (isHttp2) => {
      undecided.delete(socket);
      (isHttp2 ? http2Server : http1Server).emit("connection", socket);
    });
  });

  return {
    listen(host, port) {
      return new Promise((resolve, reject) => {
        listener.once("error", reject);
        listener.listen(port, host, () => {
          listener.off("error", reject);
          const address = listener.address();
          resolve(typeof address === "object" && address !== null ? address.port : port);
        });
      });
    },
    close(graceMs) {
      closing = true;
      return new Promise((resolve) => {
        const force = setTimeout(() => {
          for (const socket of sockets) socket.destroy();
        }, graceMs);
        listener.close(() => {
          clearTimeout(force);
          resolve();
        });
        for (const socket of undecided) socket.destroy();
        for (const session of sessions) session.close();
        for (const [socket, activeRequests] of http1Connections) {
          if (activeRequests === 0) socket.end();
        }
      });
    },
  };
}

/** Reads just enough of a new connection to tell HTTP/2 from HTTP/1.x, then puts it back. */
function dispatchByPreface(socket: net.Socket, dispatch: (isHttp2: boolean) => void): void {
  let received = Buffer.alloc(0);
  const onReadable = () => {
    let chunk: Buffer | null = socket.read();
    while (chunk !== null) {
      received = Buffer.concat([received, chunk]);
      chunk = socket.read();
    }
    const decided =
      received.length >= http2PrefaceStart.length ||
      !http2PrefaceStart.subarray(0, received.length).equals(received);
    if (!decided) return;
    socket.off("readable", onReadable);
    socket.off("end", giveUp);
    socket.off("error", giveUp);
    socket.off("timeout", giveUp);
    socket.setTimeout(0);
    socket.unshift(received);
    dispatch(received.subarray(0, http2PrefaceStart.length).equals(http2PrefaceStart));
  };
  // Until a server owns the socket nobody else handles its errors, and a client that connects
  // and never speaks must not hold the connection forever.
  const giveUp = () => socket.destroy();
  socket.setTimeout(prefaceTimeoutMs);
  socket.on("readable", onReadable);
  socket.on("end", giveUp);
  socket.on("error", giveUp);
  socket.on("timeout", giveUp);
}
