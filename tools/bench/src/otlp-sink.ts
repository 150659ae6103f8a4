import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

/** A local OTLP/HTTP endpoint that accepts every export and keeps only counts. */
export interface OtlpSink {
  /** What OTEL_EXPORTER_OTLP_ENDPOINT is set to. */
  endpoint: string;
  /** Export requests and their bytes received so far (proof the spans were exported). */
  received(): { requests: number; bytes: number };
  close(): Promise<void>;
}

/**
 * The receiver of the tracing-on row: answers every POST to /v1/traces with 200 and an empty
 * ExportTraceServiceResponse (valid in protobuf and, as `{}`, in JSON) without decoding it, so
 * the row measures what tracing costs the gateway and user-service, not a collector's work.
 */
export async function startOtlpSink(): Promise<OtlpSink> {
  let requests = 0;
  let bytes = 0;
  const server = createServer((request, response) => {
    request.on("data", (chunk: Buffer) => {
      bytes += chunk.length;
    });
    request.on("end", () => {
      requests++;
      const json = String(request.headers["content-type"] ?? "").includes("json");
      response.writeHead(200, {
        "content-type": json ? "application/json" : "application/x-protobuf",
      });
      response.end(json ? "{}" : "");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    received: () => ({ requests, bytes }),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
