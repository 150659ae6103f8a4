import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { gunzipSync } from "node:zlib";
import { decodeOtlpJson } from "./otlp-json.js";
import { decodeOtlpProtobuf } from "./otlp-protobuf.js";
import { OtlpDecodeError } from "./received-span.js";
import { SpanStore, type StoredTrace } from "./span-store.js";

/** A running local OTLP/HTTP trace receiver. */
export interface OtlpReceiver {
  /** http://<host>:<port>: what OTEL_EXPORTER_OTLP_ENDPOINT is set to. */
  endpoint: string;
  port: number;
  store: SpanStore;
  /** Resolves once a trace with `traceId` has a span that `accept` accepts (default: any). */
  waitForTrace(
    traceId: string,
    accept: (trace: StoredTrace) => boolean,
    options?: { timeoutMs?: number },
  ): Promise<StoredTrace>;
  close(): Promise<void>;
}

const maxBodyBytes = 16 * 1024 * 1024;

/**
 * A tiny OTLP/HTTP receiver for traces (`POST /v1/traces`, http/json and http/protobuf) that
 * keeps recent spans in memory (`SpanStore`), and serves them back as JSON for `npm run traces`:
 * `GET /api/traces?limit=N` (newest first) and `GET /api/traces/<trace-id>`. For the devstack and
 * tests; a real deployment points OTEL_EXPORTER_OTLP_ENDPOINT at a collector instead.
 */
export async function startOtlpReceiver(
  options: { host?: string; port?: number; maxSpans?: number } = {},
): Promise<OtlpReceiver> {
  const store = new SpanStore(options.maxSpans);
  const waiters = new Set<() => void>();
  const server = createServer((request, response) => {
    handle(request, response, store).then(
      () => {
        for (const wake of waiters) wake();
      },
      (error: unknown) => {
        if (!response.headersSent) reply(response, 500, { error: String(error) });
      },
    );
  });
  const host = options.host ?? "127.0.0.1";
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://${host}:${port}`,
    port,
    store,
    waitForTrace(traceId, accept, { timeoutMs = 20_000 } = {}) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const trace = store.trace(traceId);
          if (trace && accept(trace)) {
            done();
            resolve(trace);
          }
        };
        const timer = setTimeout(() => {
          done();
          const spans = store.trace(traceId)?.spans ?? [];
          reject(
            new Error(
              `trace ${traceId} not complete after ${timeoutMs} ms; it has: ${spans.map((s) => `${s.service} ${s.name}`).join(", ") || "nothing"}`,
            ),
          );
        }, timeoutMs);
        const done = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      });
    },
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function handle(
  request: IncomingMessage,
  response: ServerResponse,
  store: SpanStore,
): Promise<void> {
  const url = new URL(request.url ?? "/", "http://receiver");
  if (request.method === "POST" && url.pathname === "/v1/traces") {
    const type = (request.headers["content-type"] ?? "").split(";")[0]?.trim();
    try {
      const body = await readBody(request);
      if (type === "application/json") store.add(decodeOtlpJson(body.toString("utf8")));
      else if (type === "application/x-protobuf") store.add(decodeOtlpProtobuf(body));
      else {
        reply(response, 415, { error: `unsupported content-type ${type ?? "(none)"}` });
        return;
      }
    } catch (error) {
      if (!(error instanceof OtlpDecodeError)) throw error;
      reply(response, 400, { error: error.message });
      return;
    }
    // An empty ExportTraceServiceResponse: `{}` in JSON, zero bytes in protobuf.
    if (type === "application/json") reply(response, 200, {});
    else response.writeHead(200, { "content-type": "application/x-protobuf" }).end();
    return;
  }
  if (request.method === "GET" && url.pathname === "/api/traces") {
    const limit = Number(url.searchParams.get("limit") ?? "10");
    reply(response, 200, {
      traces: store.latest(Number.isInteger(limit) && limit > 0 ? limit : 10),
    });
    return;
  }
  const one = /^\/api\/traces\/([0-9a-fA-F]{32})$/.exec(url.pathname);
  if (request.method === "GET" && one?.[1]) {
    const trace = store.trace(one[1]);
    if (trace) reply(response, 200, trace);
    else reply(response, 404, { error: `no trace ${one[1]} in the last ${store.size} spans` });
    return;
  }
  reply(response, 404, { error: "POST /v1/traces, GET /api/traces, GET /api/traces/<trace-id>" });
}

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > maxBodyBytes) throw new OtlpDecodeError(`body over ${maxBodyBytes} bytes`);
    chunks.push(chunk as Buffer);
  }
  const body = Buffer.concat(chunks);
  // OTEL_EXPORTER_OTLP_COMPRESSION=gzip makes exporters compress.
  return request.headers["content-encoding"] === "gzip" ? gunzipSync(body) : body;
}

function reply(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
}
