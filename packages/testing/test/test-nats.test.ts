import { jetstream, jetstreamManager } from "@nats-io/jetstream";
import { connect } from "@nats-io/transport-node";
import { describe, expect, it } from "vitest";
import { createTestNats } from "../src/index.js";

describe("createTestNats", () => {
  it("gives a reachable server with JetStream and close() deletes the test's streams", async () => {
    const nats = await createTestNats();
    const other = await createTestNats();
    expect(nats.prefix).not.toBe(other.prefix);
    const connection = await connect({ servers: nats.url });
    try {
      const manager = await jetstreamManager(connection);
      const stream = `${nats.prefix}_orders`;
      const unrelated = `${other.prefix}_orders`;
      await manager.streams.add({ name: stream, subjects: [`${nats.prefix}.orders.>`] });
      await manager.streams.add({ name: unrelated, subjects: [`${other.prefix}.orders.>`] });
      const ack = await jetstream(connection).publish(`${nats.prefix}.orders.placed`, "hello");
      expect(ack.stream).toBe(stream);

      await nats.close();

      await expect(manager.streams.info(stream)).rejects.toThrow(/stream not found/);
      expect((await manager.streams.info(unrelated)).config.name).toBe(unrelated);
      await other.close();
      await expect(manager.streams.info(unrelated)).rejects.toThrow(/stream not found/);
    } finally {
      await connection.close();
    }
  });
});
