import * as http from "node:http";
import * as http2 from "node:http2";
import * as net from "node:net";
import { Duplex } from "node:stream";
import type { NodeRequest, NodeResponse } from "./node-http-types.js";

const http2Preface = Buffer.from("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n");

export interface CleartextServer {
  /** Accepts TCP connections and hands each to the HTTP/1.1 or the HTTP/2 server. */
  server: net.Server;
  http1: http.Server;
  http2: http2.Http2Server;
}

/**
 * HTTP/1.1 and HTTP/2 cleartext (prior knowledge, as gRPC clients and `curl --http2-prior-knowledge`
 * speak it) on one port, served by one handler. Node 20's `http2.createServer` ignores
 * `allowHTTP1` (only its TLS server negotiates), so the first bytes of each connection decide:
 * the HTTP/2 connection preface goes to node:http2, anything else to node:http.
 */
export function createCleartextServer(
  handler: (request: NodeRequest, response: NodeResponse) => void,
): CleartextServer {
  const http1 = http.createServer(handler);
  const h2 = http2.createServer(handler);
  const server = net.createServer((socket) => {
    let received = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      const compared = Math.min(received.length, http2Preface.length);
      const looksLikeHttp2 = received
        .subarray(0, compared)
        .equals(http2Preface.subarray(0, compared));
      if (looksLikeHttp2 && compared < http2Preface.length) return; // need more bytes to decide
      socket.off("data", onData);
      socket.off("timeout", onSilence);
      socket.setTimeout(0);
      socket.pause();
      if (looksLikeHttp2) {
        // node:http2 reads the socket's native handle and would never see bytes already read
        // from it, so the session gets a stream that replays them first.
        h2.emit("connection", replaying(socket, received));
      } else {
        socket.unshift(received);
        http1.emit("connection", socket);
        socket.resume();
      }
    };
    // A client that connects and never says enough to decide must not hold a socket forever.
    const onSilence = () => socket.destroy();
    socket.on("data", onData);
    socket.setTimeout(30_000, onSilence);
  });
  return { server, http1, http2: h2 };
}

/** A duplex over `socket` whose readable side starts with `head`, the bytes already read. */
function replaying(socket: net.Socket, head: Buffer): Duplex {
  const duplex = new Duplex({
    read() {
      socket.resume();
    },
    write(chunk: Buffer, _encoding, done) {
      socket.write(chunk, done);
    },
    final(done) {
      socket.end(done);
    },
    destroy(error, done) {
      socket.destroy(error ?? undefined);
      done(error);
    },
  });
  duplex.push(head);
  socket.on("data", (chunk: Buffer) => {
    if (!duplex.push(chunk)) socket.pause();
  });
  socket.once("end", () => duplex.push(null));
  socket.once("close", () => duplex.destroy());
  socket.once("error", (error) => duplex.destroy(error));
  return duplex;
}
