import { existsSync } from "node:fs";
import { join } from "node:path";
import { mintDevToken } from "@switchyard/token";
import { startWebAppServer, type WebAppServer } from "./web-app-server.js";

/** The web app's port without an offset (Vite's dev server keeps 5173). */
export const webAppPort = 8090;

/**
 * Serves web/dist/devstack (built by `npm start`'s turbo build) on 127.0.0.1:8090+offset, with
 * the gateway behind it and the dev sign-in; undefined when the web app has not been built.
 */
export async function startDevstackWebApp(options: {
  repositoryRoot: string;
  portOffset: number;
  gatewayPort: number;
  signingKeyFile: string;
}): Promise<WebAppServer | undefined> {
  const siteDir = join(options.repositoryRoot, "web", "dist", "devstack");
  if (!existsSync(join(siteDir, "index.html"))) return undefined;
  return startWebAppServer({
    host: "127.0.0.1",
    port: webAppPort + options.portOffset,
    siteDir,
    gateway: { host: "127.0.0.1", port: options.gatewayPort },
    mintDevToken: (userId) =>
      mintDevToken({ signingKeyFile: options.signingKeyFile, subject: userId }),
  });
}
