import { createServer, request as httpRequest, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";

/** A running proxy: its URL and how to stop it. */
export interface FieldDroppingProxy {
  url: string;
  close(): Promise<void>;
}

/**
 * A stand-in for "the provider stopped filling a field": forwards every request to `target`
 * unchanged and, in the JSON answers of `procedure` only, deletes the field at `path` (e.g.
 * `["profile", "email"]`) — what a gateway or BFF that no longer sets it would send, since
 * protobuf JSON omits unset fields. The schema (and so `buf breaking`) is untouched.
 */
export async function startFieldDroppingProxy(options: {
  target: string;
  procedure: string;
  path: readonly string[];
}): Promise<FieldDroppingProxy> {
  const target = new URL(options.target);
  const server = createServer((incoming, outgoing) => {
    const upstream = httpRequest(
      {
        host: target.hostname,
        port: target.port,
        method: incoming.method,
        path: incoming.url,
        headers: incoming.headers,
      },
      (answer) => {
        const chunks: Buffer[] = [];
        answer.on("data", (chunk: Buffer) => chunks.push(chunk));
        answer.on("end", () => {
          let body = Buffer.concat(chunks);
          if (incoming.url?.startsWith(`/${options.procedure}`) && answer.statusCode === 200) {
            body = Buffer.from(
              JSON.stringify(withoutField(JSON.parse(String(body)), options.path)),
            );
          }
          outgoing.writeHead(answer.statusCode ?? 502, headersFor(answer.headers, body.length));
          outgoing.end(body);
        });
      },
    );
    upstream.on("error", () => {
      outgoing.writeHead(502);
      outgoing.end();
    });
    incoming.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

function withoutField(value: unknown, path: readonly string[]): unknown {
  const [head, ...rest] = path;
  if (head === undefined || typeof value !== "object" || value === null) return value;
  const copy: Record<string, unknown> = { ...(value as Record<string, unknown>) };
  if (rest.length === 0) delete copy[head];
  else copy[head] = withoutField(copy[head], rest);
  return copy;
}

function headersFor(headers: IncomingHttpHeaders, length: number): IncomingHttpHeaders {
  const { "transfer-encoding": _chunked, ...rest } = headers;
  return { ...rest, "content-length": String(length) };
}
