import { createServer } from "node:net";

/**
 * Ports this process handed out in the last `rememberMs`: the OS may offer a port it just got
 * back again, and two callers (a NATS node's client and cluster ports, two replicas) would then
 * try to bind the same one — "address already in use" in one of them, by chance.
 */
const handedOut = new Map<number, number>();
const rememberMs = 10 * 60_000;

/**
 * A TCP port on 127.0.0.1 that was free a moment ago (the OS picks it; bind it soon), never one
 * this process was given in the last 10 minutes.
 */
export async function findFreePort(): Promise<number> {
  const now = Date.now();
  for (const [port, at] of handedOut) if (now - at > rememberMs) handedOut.delete(port);
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = await portFromTheOs();
    if (handedOut.has(port)) continue;
    handedOut.set(port, now);
    return port;
  }
  throw new Error("free port: the OS kept offering ports this process already handed out");
}

function portFromTheOs(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      server.close(() =>
        port > 0 ? resolve(port) : reject(new Error("free port: the OS returned no port")),
      );
    });
  });
}
