import type * as http from "node:http";
import type { NodeRequest, NodeResponse } from "./node-http-types.js";

/**
 * Answers a path no route serves, in the caller's protocol: gRPC and gRPC-Web clients get
 * status 12 UNIMPLEMENTED in a trailers-only response; everyone else a Connect error body with
 * HTTP 404, so `curl` users see why instead of an empty 404.
 */
export function answerUnknownRoute(request: NodeRequest, response: NodeResponse): void {
  const path = request.url?.split("?")[0] ?? "";
  const message = `no such method: ${path.slice(0, 200)}`;
  const writable = response as http.ServerResponse;
  const contentType = request.headers["content-type"] ?? "";
  if (contentType.startsWith("application/grpc")) {
    writable.writeHead(200, {
      "content-type": contentType.startsWith("application/grpc-web")
        ? "application/grpc-web+proto"
        : "application/grpc+proto",
      "grpc-status": "12",
      "grpc-message": encodeURIComponent(message),
    });
    writable.end();
    return;
  }
  const body = JSON.stringify({ code: "unimplemented", message });
  writable.writeHead(404, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(body),
  });
  writable.end(body);
}
