import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { devTokenEndpoint } from "./dev-token-endpoint.js";
import { proxyToGateway } from "./gateway-proxy.js";
import { serveStaticSite } from "./static-site.js";

/** The web app as `npm start` serves it: one origin for the app, its API and the dev sign-in. */
export interface WebAppServer {
  port: number;
  close(): Promise<void>;
}

/**
 * Serves the web app's devstack build from `siteDir`; Connect paths (`/switchyard.*`) go to
 * the gateway, `/dev/token` mints dev tokens, everything else is the app.
 */
export async function startWebAppServer(options: {
  host: string;
  port: number;
  siteDir: string;
  gateway: { host: string; port: number };
  mintDevToken: (userId: string) => Promise<string>;
}): Promise<WebAppServer> {
  const site = serveStaticSite(options.siteDir);
  const api = proxyToGateway(options.gateway);
  const devToken = devTokenEndpoint(options.mintDevToken);
  const server: Server = createServer((request, response) => {
    const path = (request.url ?? "/").split("?")[0] ?? "/";
    const handled = path.startsWith("/switchyard.")
      ? Promise.resolve(api(request, response))
      : path === "/dev/token"
        ? devToken(request, response)
        : site(request, response);
    handled.catch(() => {
      if (!response.headersSent) response.writeHead(500).end();
      else response.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
