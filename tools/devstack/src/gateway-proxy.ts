import { request as httpRequest, type IncomingMessage, type ServerResponse } from "node:http";

// Hop-by-hop headers (RFC 9110 §7.6.1) belong to one connection and are not forwarded.
const hopByHop = new Set([
  "connection",
  "keep-alive",
  "proxy-connection",
  "transfer-encoding",
  "te",
  "trailer",
  "upgrade",
  "host",
]);

/**
 * Forwards a request unchanged to the gateway (HTTP/1.1) and streams the answer back: the
 * browser talks to one origin, so Connect calls need no CORS.
 */
export function proxyToGateway(gateway: { host: string; port: number }) {
  return (request: IncomingMessage, response: ServerResponse): void => {
    const headers = Object.fromEntries(
      Object.entries(request.headers).filter(([name]) => !hopByHop.has(name)),
    );
    const upstream = httpRequest(
      {
        host: gateway.host,
        port: gateway.port,
        method: request.method,
        path: request.url,
        headers,
      },
      (answer) => {
        const answerHeaders = Object.fromEntries(
          Object.entries(answer.headers).filter(([name]) => !hopByHop.has(name)),
        );
        response.writeHead(answer.statusCode ?? 502, answerHeaders);
        answer.pipe(response);
      },
    );
    upstream.on("error", () => {
      if (response.headersSent) {
        response.destroy();
        return;
      }
      // A Connect error body, so the app shows "unavailable" like any other outage.
      response
        .writeHead(503, { "content-type": "application/json" })
        .end(JSON.stringify({ code: "unavailable", message: "the gateway is not reachable" }));
    });
    request.on("aborted", () => upstream.destroy());
    request.pipe(upstream);
  };
}
