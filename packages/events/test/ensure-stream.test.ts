import { type JetStreamManager, jetstreamManager } from "@nats-io/jetstream";
import { connect, type NatsConnection, nanos } from "@nats-io/transport-node";
import { createTestNats, type TestNats } from "@switchyard/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureStream, orderEventsStream, streamNameFor } from "../src/index.js";

let nats: TestNats;
let connection: NatsConnection;
let jsm: JetStreamManager;

beforeAll(async () => {
  nats = await createTestNats();
  connection = await connect({ servers: nats.url });
  jsm = await jetstreamManager(connection);
});

afterAll(async () => {
  await connection?.close();
  await nats?.close();
});

describe("ensureStream", () => {
  it("creates a file-backed stream with the namespaced subjects and duplicate window", async () => {
    const ns = { prefix: `${nats.prefix}_create` };
    await ensureStream(jsm, orderEventsStream, ns);
    const info = await jsm.streams.info(streamNameFor(orderEventsStream, ns));
    expect(info.config.subjects).toEqual([`${ns.prefix}.switchyard.order.v1.>`]);
    expect(info.config.storage).toBe("file");
    expect(info.config.duplicate_window).toBe(nanos(orderEventsStream.duplicateWindowMs));
  });

  it("is idempotent: replicas starting together all succeed and keep the messages", async () => {
    const ns = { prefix: `${nats.prefix}_again` };
    await Promise.all([1, 2, 3].map(() => ensureStream(jsm, orderEventsStream, ns)));
    const js = jsm.jetstream();
    await js.publish(`${ns.prefix}.switchyard.order.v1.order_placed`, "x");
    await Promise.all([1, 2, 3].map(() => ensureStream(jsm, orderEventsStream, ns)));
    const info = await jsm.streams.info(streamNameFor(orderEventsStream, ns));
    expect(info.state.messages).toBe(1);
  });

  it("updates the duplicate window of an existing stream", async () => {
    const ns = { prefix: `${nats.prefix}_update` };
    await ensureStream(jsm, { ...orderEventsStream, duplicateWindowMs: 60_000 }, ns);
    const name = streamNameFor(orderEventsStream, ns);
    expect((await jsm.streams.info(name)).config.duplicate_window).toBe(nanos(60_000));
    await ensureStream(jsm, orderEventsStream, ns);
    expect((await jsm.streams.info(name)).config.duplicate_window).toBe(
      nanos(orderEventsStream.duplicateWindowMs),
    );
  });

  it("drops a second publish with the same Nats-Msg-Id inside the window", async () => {
    const ns = { prefix: `${nats.prefix}_dedup` };
    await ensureStream(jsm, orderEventsStream, ns);
    const js = jsm.jetstream();
    const subject = `${ns.prefix}.switchyard.order.v1.order_placed`;
    const first = await js.publish(subject, "a", { msgID: "same-id" });
    const second = await js.publish(subject, "a", { msgID: "same-id" });
    expect(first.duplicate).toBe(false);
    expect(second.duplicate).toBe(true);
    expect((await jsm.streams.info(streamNameFor(orderEventsStream, ns))).state.messages).toBe(1);
  });

  it("creates one replica unless told otherwise, and leaves an existing count alone when not told", async () => {
    const ns = { prefix: `${nats.prefix}_replicas` };
    const name = streamNameFor(orderEventsStream, ns);
    await ensureStream(jsm, orderEventsStream, ns);
    expect((await jsm.streams.info(name)).config.num_replicas).toBe(1);
    await ensureStream(jsm, orderEventsStream, ns, { replicas: 1 });
    expect((await jsm.streams.info(name)).config.num_replicas).toBe(1);
  });

  it("rejects a replica count outside 1..5 before asking the server", async () => {
    const ns = { prefix: `${nats.prefix}_badreplicas` };
    for (const replicas of [0, 2.5, 6]) {
      await expect(ensureStream(jsm, orderEventsStream, ns, { replicas })).rejects.toThrow(
        RangeError,
      );
    }
    expect(await streamNames(ns.prefix)).toEqual([]);
  });

  it("fails with the server's reason when a single server is asked for 3 replicas", async () => {
    const ns = { prefix: `${nats.prefix}_r3single` };
    await expect(ensureStream(jsm, orderEventsStream, ns, { replicas: 3 })).rejects.toThrow(
      /could not create or update stream .*replicas/i,
    );
    expect(await streamNames(ns.prefix)).toEqual([]);
  });
});

async function streamNames(prefix: string): Promise<string[]> {
  const names: string[] = [];
  for await (const stream of jsm.streams.list()) {
    if (stream.config.name.toLowerCase().includes(prefix.toLowerCase())) {
      names.push(stream.config.name);
    }
  }
  return names;
}
