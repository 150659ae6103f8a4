import type { Attributes, MeterProvider } from "@opentelemetry/api";
import { durationBucketsSeconds } from "../duration-buckets.js";

/** What is read of a node:http or node:http2 compatibility-API request. */
interface AnyRequest {
  url?: string | undefined;
  method?: string | undefined;
  httpVersion: string;
}

/** What is read of its response (its final status, and when it is done). */
interface AnyResponse {
  statusCode: number;
  once(event: "finish" | "close", listener: () => void): unknown;
}

const knownMethods = new Set(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]);

/**
 * Returns a per-request observer that records `http.server.request.duration` (s) when the
 * response finishes (or the connection drops), by http.request.method, http.route,
 * http.response.status_code and network.protocol.version, per the HTTP semantic conventions.
 * `routes` are the paths the server really serves: any other path is recorded without
 * http.route, so a client inventing paths cannot grow the number of series.
 */
export function httpServerMetrics(
  meterProvider: MeterProvider,
  routes: Iterable<string>,
): (request: AnyRequest, response: AnyResponse) => void {
  const known = new Set(routes);
  const duration = meterProvider
    .getMeter("@switchyard/metrics")
    .createHistogram("http.server.request.duration", {
      description: "Duration of HTTP requests served, from arrival to the last byte sent.",
      unit: "s",
      advice: { explicitBucketBoundaries: [...durationBucketsSeconds] },
    });
  // Attribute sets by method, route, status and protocol version: built once, then reused.
  const attributeSets = new Map<string, Attributes>();
  const attributesOf = (method: string, path: string, status: number, version: string) => {
    const route = known.has(path) ? path : undefined;
    const key = `${method} ${status} ${version} ${route ?? ""}`;
    let attributes = attributeSets.get(key);
    if (attributes === undefined) {
      attributes = {
        "http.request.method": method,
        ...(route === undefined ? {} : { "http.route": route }),
        "http.response.status_code": status,
        "network.protocol.version": version,
      };
      attributeSets.set(key, attributes);
    }
    return attributes;
  };
  return (request, response) => {
    const startedAt = process.hrtime.bigint();
    const url = request.url ?? "/";
    const query = url.indexOf("?");
    const path = query === -1 ? url : url.slice(0, query);
    const method =
      request.method !== undefined && knownMethods.has(request.method) ? request.method : "_OTHER";
    const record = recordOnce(() =>
      duration.record(
        Number(process.hrtime.bigint() - startedAt) / 1e9,
        attributesOf(method, path, response.statusCode, request.httpVersion),
      ),
    );
    response.once("finish", record);
    response.once("close", record);
  };
}

/** `fn` for the first of several events, then nothing (an anonymous closure: see below). */
function recordOnce(fn: () => void): () => void {
  let recorded = false;
  // Returned, not named: run from source (tsx keeps names), a named closure per request would
  // also cost a defineProperty.
  return () => {
    if (recorded) return;
    recorded = true;
    fn();
  };
}
