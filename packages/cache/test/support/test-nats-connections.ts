import { connect, type NatsConnection } from "@nats-io/transport-node";
import { createTestNats, type TestNats } from "@switchyard/testing";
import { afterAll, beforeAll } from "vitest";

/**
 * A test NATS (unique prefix) for the file, and connections to it that are closed, with the
 * prefix's streams and KV buckets, after the file's tests. Call at the top of a test file.
 */
export function useTestNats(): { nats: () => TestNats; connection: () => Promise<NatsConnection> } {
  let nats: TestNats | undefined;
  const connections: NatsConnection[] = [];
  beforeAll(async () => {
    nats = await createTestNats();
  });
  afterAll(async () => {
    await Promise.all(connections.map((connection) => connection.close()));
    await nats?.close();
  });
  const current = (): TestNats => {
    if (nats === undefined) throw new Error("useTestNats: used outside a test");
    return nats;
  };
  return {
    nats: current,
    async connection() {
      const connection = await connect({ servers: current().url });
      connections.push(connection);
      return connection;
    },
  };
}
