import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import * as grpc from "@grpc/grpc-js";
import { afterEach, describe, expect, it } from "vitest";
import { grpcClientSpanInterceptor } from "../src/grpc-client-span.js";
import { grpcServerSpanInterceptor } from "../src/grpc-server-span.js";
import { startTracing, type Tracing } from "../src/start-tracing.js";

// Tracing must never turn a call into an error: an OTLP endpoint that is down or hangs, or a
// call the client gives up on, leaves every call with the status its handler gave it.

const bytes = (value: Buffer) => value;
const method = (name: string) => ({
  path: `/switchyard.test.v1.EchoService/${name}`,
  requestStream: false,
  responseStream: false,
  requestSerialize: bytes,
  requestDeserialize: bytes,
  responseSerialize: bytes,
  responseDeserialize: bytes,
});
const definition = { Echo: method("Echo"), Slow: method("Slow") };
type EchoClient = grpc.Client & Record<"Echo" | "Slow", CallableFunction>;

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function startPair(): Promise<{ client: EchoClient; slowCalls: () => number }> {
  let slowCalls = 0;
  const server = new grpc.Server({ interceptors: [grpcServerSpanInterceptor()] });
  server.addService(definition, {
    Echo: (call: grpc.ServerUnaryCall<Buffer, Buffer>, done: grpc.sendUnaryData<Buffer>) =>
      done(null, call.request),
    // Answers after 300 ms, whether or not the client is still there.
    Slow: (call: grpc.ServerUnaryCall<Buffer, Buffer>, done: grpc.sendUnaryData<Buffer>) => {
      slowCalls++;
      setTimeout(() => done(null, call.request), 300);
    },
  });
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (error, bound) =>
      error ? reject(error) : resolve(bound),
    ),
  );
  const target = `127.0.0.1:${port}`;
  const Client = grpc.makeGenericClientConstructor(definition, "EchoService");
  const client = new Client(target, grpc.credentials.createInsecure(), {
    interceptors: [grpcClientSpanInterceptor(target)],
  }) as unknown as EchoClient;
  cleanups.push(() => {
    client.close();
    server.forceShutdown();
  });
  return { client, slowCalls: () => slowCalls };
}

function call(
  client: EchoClient,
  name: "Echo" | "Slow",
  options: Partial<grpc.CallOptions> = {},
): Promise<grpc.status> {
  return new Promise((resolve) => {
    client[name](
      Buffer.from("hi"),
      new grpc.Metadata(),
      options,
      (error: grpc.ServiceError | null) => resolve(error === null ? grpc.status.OK : error.code),
    );
  });
}

/** Tracing on, every span sampled, exported to `endpoint`; shut down after the test. */
function traceTo(endpoint: string): Tracing {
  const tracing = startTracing({
    serviceName: "export-failure-test",
    env: {
      OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
      OTEL_EXPORTER_OTLP_PROTOCOL: "http/protobuf",
      OTEL_TRACES_SAMPLER: "always_on",
    },
  });
  cleanups.push(() => tracing.shutdown());
  return tracing;
}

/** An HTTP server that takes export requests and never answers them. */
async function hangingEndpoint(): Promise<string> {
  const held: import("node:http").ServerResponse[] = [];
  const server: Server = createServer((request, response) => {
    request.resume();
    held.push(response);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  cleanups.push(
    () =>
      new Promise<void>((resolve) => {
        for (const response of held) response.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** A URL nothing listens on (a port that was just free). */
async function refusingEndpoint(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

describe("tracing never fails a call", () => {
  it.each([
    ["refuses connections", refusingEndpoint],
    ["accepts and never answers", hangingEndpoint],
  ])(
    "when the OTLP endpoint %s: 1,500 calls (several full export batches) all succeed, and the flush at shutdown gives up in bounded time",
    async (_what, endpoint) => {
      const tracing = traceTo(await endpoint());
      expect(tracing.enabled).toBe(true);
      const { client } = await startPair();
      const statuses: grpc.status[] = [];
      for (let round = 0; round < 15; round++) {
        statuses.push(
          ...(await Promise.all(Array.from({ length: 100 }, () => call(client, "Echo")))),
        );
      }
      expect(statuses.filter((status) => status !== grpc.status.OK)).toEqual([]);
      const started = performance.now();
      await tracing.shutdown();
      // The host's LAST shutdown step: it must not hold a stopping process for the exporter's
      // 10 s timeout per batch (a supervisor kills it first). Bound: 10× the 2 s flush timeout.
      expect(performance.now() - started).toBeLessThan(20_000);
    },
    60_000,
  );

  it("a call the client abandons (deadline, cancel) ends its server span without an error escaping; later calls are unaffected", async () => {
    traceTo(await hangingEndpoint());
    const { client, slowCalls } = await startPair();
    const abandoned = await Promise.all([
      ...Array.from({ length: 20 }, () => call(client, "Slow", { deadline: Date.now() + 50 })),
      ...Array.from(
        { length: 20 },
        () =>
          new Promise<grpc.status>((resolve) => {
            const pending = client.Slow(Buffer.from("hi"), (error: grpc.ServiceError | null) =>
              resolve(error?.code ?? grpc.status.OK),
            ) as grpc.ClientUnaryCall;
            setTimeout(() => pending.cancel(), 50);
          }),
      ),
    ]);
    expect(new Set(abandoned)).toEqual(
      new Set([grpc.status.DEADLINE_EXCEEDED, grpc.status.CANCELLED]),
    );
    expect(slowCalls()).toBe(40);
    // The handlers answer after their callers left: nothing may throw out of the interceptors.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const after = await Promise.all(Array.from({ length: 50 }, () => call(client, "Echo")));
    expect(after.every((status) => status === grpc.status.OK)).toBe(true);
  }, 30_000);
});
