import { connect, createServer, type Socket } from "node:net";

/** A TCP proxy in front of a dependency whose answers a drill or a benchmark slows down. */
export interface DelayingProxy {
  /** 127.0.0.1:<port>: give this to the caller instead of the dependency's address. */
  target: string;
  /** Every byte from the dependency waits this long before it goes on (0: none). */
  setDelay(ms: number): void;
  close(): Promise<void>;
}

/**
 * Forwards TCP to `upstream` unchanged (TLS passes through: the caller still verifies the real
 * server), holding each chunk from the dependency back by the current delay, in order. No
 * product code changes: the caller just dials the proxy.
 */
export async function startDelayingProxy(upstream: string): Promise<DelayingProxy> {
  const [host, port] = splitHostPort(upstream);
  let delayMs = 0;
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const dependency = connect(port, host);
    for (const socket of [client, dependency]) {
      sockets.add(socket);
      socket.on("close", () => sockets.delete(socket));
      socket.on("error", () => {
        client.destroy();
        dependency.destroy();
      });
    }
    client.pipe(dependency);
    // Chunks leave in order: each one no earlier than its arrival + the delay, nor its predecessor.
    let releaseAfter = 0;
    dependency.on("data", (chunk: Buffer) => {
      const at = Math.max(Date.now() + delayMs, releaseAfter);
      releaseAfter = at;
      setTimeout(() => client.writable && client.write(chunk), at - Date.now());
    });
    dependency.on("end", () => {
      setTimeout(() => client.end(), Math.max(0, releaseAfter - Date.now()));
    });
    client.on("end", () => dependency.end());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address() as { port: number };
  return {
    target: `127.0.0.1:${address.port}`,
    setDelay(ms) {
      delayMs = ms;
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

function splitHostPort(target: string): [string, number] {
  const colon = target.lastIndexOf(":");
  return [target.slice(0, colon), Number(target.slice(colon + 1))];
}
