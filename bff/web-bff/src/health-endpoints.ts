import type { IncomingMessage, ServerResponse } from "node:http";
import type { Http2ServerRequest, Http2ServerResponse } from "node:http2";
import type { HealthRegistry } from "@switchyard/lifecycle";

/**
 * `GET /healthz` (liveness: the process answers) and `GET /readyz` (readiness: 200 while the
 * registry is ready, 503 once shutting down or a check fails). Returns false for other paths.
 */
export function serveHealthEndpoint(
  health: HealthRegistry,
  request: IncomingMessage | Http2ServerRequest,
  response: ServerResponse | Http2ServerResponse,
): boolean {
  if (request.method !== "GET") return false;
  const path = request.url?.split("?")[0];
  if (path === "/healthz") {
    sendJson(response, 200, { status: "ok" });
    return true;
  }
  if (path === "/readyz") {
    health.checkReadiness().then(
      (readiness) => sendJson(response, readiness.ready ? 200 : 503, readiness),
      () => sendJson(response, 503, { ready: false }),
    );
    return true;
  }
  return false;
}

function sendJson(
  response: ServerResponse | Http2ServerResponse,
  status: number,
  body: unknown,
): void {
  const text = JSON.stringify(body);
  // Both response types have these methods; TypeScript cannot call the union's overloads.
  const target = response as ServerResponse;
  target.writeHead(status, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(text),
  });
  target.end(text);
}
