import { createServer, type Server, type Socket } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectDatabase } from "../src/database-connection.js";

// What a service's pool does while Postgres is down: the errors must carry a connection code
// (@switchyard/errors `isConnectionFailure` → UNAVAILABLE at the edge) and come fast.

/** A port that accepts TCP and never answers: a database that hangs instead of refusing. */
let silent: Server;
let silentPort = 0;
const silentSockets = new Set<Socket>();
/** A port nothing listens on. */
let closedPort = 0;

beforeAll(async () => {
  silent = createServer((socket) => silentSockets.add(socket));
  await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
  silentPort = (silent.address() as { port: number }).port;
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  closedPort = (probe.address() as { port: number }).port;
  await new Promise((resolve) => probe.close(resolve));
});
afterAll(async () => {
  for (const socket of silentSockets) socket.destroy();
  await new Promise((resolve) => silent.close(resolve));
});

async function failureOf(url: string, options: { connectTimeoutSeconds?: number } = {}) {
  const database = connectDatabase({ url, max: 1, ...options });
  const started = performance.now();
  try {
    await database.ping();
    throw new Error("expected the query to fail");
  } catch (error) {
    return { error: error as Error & { code?: string }, ms: performance.now() - started };
  } finally {
    await database.sql.end({ timeout: 0 });
  }
}

describe("a pool whose database is down", () => {
  it("a refused connection fails the query at once with ECONNREFUSED", async () => {
    const { error, ms } = await failureOf(`postgres://x@127.0.0.1:${closedPort}/db`);
    expect(error.code).toBe("ECONNREFUSED");
    expect(ms).toBeLessThan(5_000);
  });

  it("a database that accepts but never answers fails after the connect timeout, not 30 s", async () => {
    const { error, ms } = await failureOf(`postgres://x@127.0.0.1:${silentPort}/db`, {
      connectTimeoutSeconds: 1,
    });
    expect(error.code).toBe("CONNECT_TIMEOUT");
    expect(ms).toBeGreaterThanOrEqual(900);
    expect(ms).toBeLessThan(10_000);
  });
});
