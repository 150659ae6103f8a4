import type * as grpc from "@grpc/grpc-js";

/**
 * A readiness check that passes when the client's channel connects within `timeoutMs`
 * (waitForReady also starts connecting an idle channel).
 */
export function channelReadiness(client: grpc.Client, timeoutMs = 1_000): () => Promise<void> {
  return () =>
    new Promise<void>((resolve, reject) => {
      client.waitForReady(Date.now() + timeoutMs, (error) => {
        if (error) reject(new Error(`not connectable within ${timeoutMs} ms`));
        else resolve();
      });
    });
}
