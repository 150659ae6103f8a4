import { connect, type NatsConnection } from "@nats-io/transport-node";

/**
 * Connects to NATS for a service: named (visible in `nats server report connections`), and
 * reconnecting forever, because a broker outage must never take the service down — the outbox
 * keeps accepting writes and the relay catches up when NATS is back.
 */
export async function connectNats(options: { url: string; name: string }): Promise<NatsConnection> {
  try {
    return await connect({
      // NATS_URL may list several servers; the client takes them as an array, not one string.
      servers: options.url.split(",").map((server) => server.trim()),
      name: options.name,
      maxReconnectAttempts: -1,
      reconnectTimeWait: 500,
    });
  } catch (error) {
    throw new Error(`cannot connect to NATS at ${options.url}: ${(error as Error).message}`, {
      cause: error,
    });
  }
}

/** A readiness check: resolves when the server answers a round trip within `timeoutMs`. */
export async function pingNats(connection: NatsConnection, timeoutMs = 1_000): Promise<void> {
  if (connection.isClosed()) throw new Error("NATS connection is closed");
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      connection.rtt(),
      new Promise((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`NATS did not answer within ${timeoutMs} ms`)),
          timeoutMs,
        );
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * A readiness check for a service that publishes through an outbox: it fails only after NATS
 * has been unreachable for `outageGraceMs` (default 30 s). A short broker outage must not pull
 * every replica out of rotation, because writes still succeed (the outbox holds the events);
 * a long one should be visible.
 */
export function natsReadinessCheck(
  connection: NatsConnection,
  options: { outageGraceMs?: number; pingTimeoutMs?: number } = {},
): () => Promise<void> {
  const graceMs = options.outageGraceMs ?? 30_000;
  let lastAnswer = Date.now();
  return async () => {
    try {
      await pingNats(connection, options.pingTimeoutMs ?? 1_000);
      lastAnswer = Date.now();
    } catch (error) {
      const silentMs = Date.now() - lastAnswer;
      if (connection.isClosed() || silentMs > graceMs) {
        throw new Error(
          `NATS unreachable for ${Math.round(silentMs / 1000)} s: ${(error as Error).message}`,
        );
      }
    }
  };
}
