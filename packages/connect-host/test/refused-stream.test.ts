import http2 from "node:http2";
import { Writable } from "node:stream";
import { createClient } from "@connectrpc/connect";
import { connectNodeAdapter, createGrpcTransport } from "@connectrpc/connect-node";
import {
  Health,
  HealthCheckResponse_ServingStatus,
} from "@switchyard/contracts/connect/grpc/health/v1/health_pb";
import { createLogger } from "@switchyard/logging";
import { createWorkloadIdentity } from "@switchyard/workload-identity";
import { afterEach, describe, expect, it } from "vitest";
import { wasRefusedStream } from "../src/balanced-transport.js";
import { connectPeerTransport } from "../src/index.js";

// A replica that is shutting down refuses new HTTP/2 streams (GOAWAY, then REFUSED_STREAM for a
// stream that crossed it): the request never reached a handler. connect-node reports that as
// `internal`, which would fail a dashboard at every web-bff restart. Health.Check stands in for
// a call that is not marked idempotent: a refused stream is sent again anyway, a processed
// call never is.

const silent = createLogger({
  service: "refused-stream-test",
  level: "silent",
  destination: new Writable({ write: (_chunk, _encoding, done) => done() }),
});
const identity = createWorkloadIdentity(
  { MESH_MODE: "linkerd", TLS_RELOAD_INTERVAL_MS: 60_000 },
  { workload: "gateway", logger: silent },
);

interface TestServer {
  url: string;
  target: string;
  handled: () => number;
  sessions: Set<http2.ServerHttp2Session>;
  close(): Promise<void>;
}

/** An h2c Connect server answering Health.Check; `refuse(n)` decides which streams to refuse. */
async function startServer(refuse: (streamNumber: number) => boolean): Promise<TestServer> {
  let handled = 0;
  let streams = 0;
  const adapter = connectNodeAdapter({
    routes: (router) =>
      router.service(Health, {
        check: () => {
          handled += 1;
          return { status: HealthCheckResponse_ServingStatus.SERVING };
        },
      }),
  });
  const sessions = new Set<http2.ServerHttp2Session>();
  const server = http2.createServer((request, response) => {
    streams += 1;
    if (refuse(streams)) request.stream.close(http2.constants.NGHTTP2_REFUSED_STREAM);
    else adapter(request, response);
  });
  server.on("session", (session) => {
    sessions.add(session);
    session.once("close", () => sessions.delete(session));
  });
  await new Promise<void>((listening) => server.listen(0, "127.0.0.1", listening));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    target: `ipv4:127.0.0.1:${port}`,
    handled: () => handled,
    sessions,
    close: () =>
      new Promise<void>((closed) => {
        for (const session of sessions) session.destroy();
        server.close(() => closed());
      }),
  };
}

const servers: TestServer[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await server.close();
});

describe("a call whose stream a shutting-down server refused", () => {
  it("fails through a plain connect-node transport, and is recognised as refused", async () => {
    const server = await startServer((streamNumber) => streamNumber === 1);
    servers.push(server);
    const client = createClient(Health, createGrpcTransport({ baseUrl: server.url }));
    const error = await client.check({}).then(
      () => undefined,
      (failure: unknown) => failure,
    );
    expect(error, "the refused call should fail without a resend").toBeInstanceOf(Error);
    expect(wasRefusedStream(error)).toBe(true);
    expect(server.handled()).toBe(0);
  });

  it("is sent again by the peer transport, even to the only replica, and runs once", async () => {
    // Every other stream refused: each call is refused once, then answered.
    const server = await startServer((streamNumber) => streamNumber % 2 === 1);
    servers.push(server);
    const peer = connectPeerTransport(identity, "web-bff", server.target);
    const client = createClient(Health, peer.transport);
    try {
      for (let call = 0; call < 10; call++) {
        expect((await client.check({})).status).toBe(HealthCheckResponse_ServingStatus.SERVING);
      }
      expect(server.handled()).toBe(10);
    } finally {
      peer.close();
    }
  });

  it("never fails a call that crosses a graceful GOAWAY (the drain of a real shutdown)", async () => {
    const server = await startServer(() => false);
    servers.push(server);
    const peer = connectPeerTransport(identity, "web-bff", server.target);
    const client = createClient(Health, peer.transport);
    const failures: string[] = [];
    try {
      for (let round = 0; round < 150; round++) {
        await client.check({});
        for (const session of server.sessions) session.close();
        // The next call lands before, during or after the client reads the GOAWAY.
        await new Promise((resume) => setTimeout(resume, round % 6));
        await client.check({}).catch((error: Error) => failures.push(error.message));
      }
    } finally {
      peer.close();
    }
    expect(failures).toEqual([]);
    expect(server.handled()).toBe(300);
  });

  it("is not sent again when the server ran it and failed", async () => {
    const error = new Error("[internal] boom");
    expect(wasRefusedStream(error)).toBe(false);
    expect(
      wasRefusedStream(
        new Error("[internal] fetch", {
          cause: new Error("Stream closed with error code NGHTTP2_REFUSED_STREAM"),
        }),
      ),
    ).toBe(true);
  });
});
