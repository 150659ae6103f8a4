import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import type { IncomingMessage, ServerResponse } from "node:http";
import { extname, join, normalize, sep } from "node:path";

const contentTypes: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".map": "application/json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
};

/**
 * Serves a built single-page app from `root`: files as they are (hashed assets cached for a
 * year), and index.html for any other GET path, so app URLs like /orders/<id> survive a reload.
 */
export function serveStaticSite(root: string) {
  const rootWithSep = root.endsWith(sep) ? root : root + sep;
  return async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    if (request.method !== "GET" && request.method !== "HEAD") {
      response.writeHead(405, { allow: "GET, HEAD" }).end();
      return;
    }
    const path = decodeURIComponent(new URL(request.url ?? "/", "http://localhost").pathname);
    const candidate = normalize(join(root, path));
    // A path that escapes the root (../) is answered with the app, never with the file.
    const file =
      candidate.startsWith(rootWithSep) && (await isFile(candidate))
        ? candidate
        : join(root, "index.html");
    const immutable = file.includes(`${sep}assets${sep}`);
    response.writeHead(200, {
      "content-type": contentTypes[extname(file)] ?? "application/octet-stream",
      "cache-control": immutable ? "public, max-age=31536000, immutable" : "no-cache",
      "x-content-type-options": "nosniff",
    });
    if (request.method === "HEAD") {
      response.end();
      return;
    }
    createReadStream(file).pipe(response);
  };
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}
