import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** The admin HTTP server of one host: where Prometheus scrapes. */
export interface AdminServer {
  port: number;
  close(): Promise<void>;
}

/**
 * Serves GET /metrics with `serveMetrics` on its own port; everything else is 404 (it is not a
 * second API). Keep-alive connections are cut on close, so a scraper never holds shutdown.
 */
export async function startAdminServer(options: {
  host: string;
  port: number;
  serveMetrics: (request: IncomingMessage, response: ServerResponse) => void;
}): Promise<AdminServer> {
  const server = createServer((request, response) => {
    const path = (request.url ?? "/").split("?")[0];
    if (path === "/metrics" && (request.method === "GET" || request.method === "HEAD")) {
      options.serveMetrics(request, response);
      return;
    }
    response.writeHead(404, { "content-type": "text/plain" }).end("not found: try GET /metrics\n");
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
