import type * as http from "node:http";
import type { HealthRegistry } from "@switchyard/lifecycle";
import type { NodeRequest, NodeResponse } from "./node-http-types.js";

/**
 * `GET /healthz` (liveness: the process answers) and `GET /readyz` (readiness: every check of
 * the registry passes and shutdown has not begun; 503 with the failing checks otherwise).
 * Returns false for any other request, which the caller then routes on.
 */
export function serveHealthEndpoints(health: HealthRegistry) {
  return (request: NodeRequest, response: NodeResponse): boolean => {
    const path = probePath(request.url);
    if (path === undefined) return false;
    if (request.method !== "GET" && request.method !== "HEAD") {
      writeJson(response, 405, { error: "use GET" });
      return true;
    }
    if (path === "/healthz") {
      writeJson(response, 200, { status: "ok" });
      return true;
    }
    health.checkReadiness().then(
      ({ ready, checks }) =>
        writeJson(response, ready ? 200 : 503, {
          status: ready ? "ready" : health.isShuttingDown ? "shutting down" : "not ready",
          checks,
        }),
      () => writeJson(response, 503, { status: "not ready" }),
    );
    return true;
  };
}

/** "/healthz" or "/readyz" when `url` asks for one of them (any query), else undefined. */
function probePath(url: string | undefined): "/healthz" | "/readyz" | undefined {
  // Every call passes here: look at the start of the URL before cutting anything out of it.
  if (url === undefined || !(url.startsWith("/healthz") || url.startsWith("/readyz"))) {
    return undefined;
  }
  const path = url.split("?")[0];
  return path === "/healthz" || path === "/readyz" ? path : undefined;
}

function writeJson(response: NodeResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  // Both response kinds have these methods; their overloads just do not unify.
  const writable = response as http.ServerResponse;
  writable.writeHead(status, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(text),
    "cache-control": "no-store",
  });
  writable.end(text);
}
