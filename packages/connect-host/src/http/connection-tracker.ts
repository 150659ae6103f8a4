import type * as http2 from "node:http2";
import type { Socket } from "node:net";
import type { NodeRequest, NodeResponse } from "./node-http-types.js";

/**
 * Knows every open connection so a drain can end idle ones at once: HTTP/2 sessions get a
 * GOAWAY (in-flight streams finish), HTTP/1.1 keep-alive sockets close when their last response
 * is done. Without this an idle keep-alive client would hold shutdown for the whole grace.
 */
export function trackConnections() {
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
