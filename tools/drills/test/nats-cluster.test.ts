import { access } from "node:fs/promises";
import { jetstream, jetstreamManager } from "@nats-io/jetstream";
import { connect } from "@nats-io/transport-node";
import { ensureStream, orderEventsStream, streamNameFor } from "@switchyard/events";
import { uniqueName } from "@switchyard/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type NatsCluster, startNatsCluster } from "../src/nats-cluster/start-nats-cluster.js";
import {
  hasCaughtUp,
  hasLeaderOtherThan,
  waitForPlacement,
} from "../src/nats-cluster/stream-placement.js";

let cluster: NatsCluster;

beforeAll(async () => {
  cluster = await startNatsCluster();
});

afterAll(async () => {
  await cluster?.stop();
});

describe("a local 3-node JetStream cluster", () => {
  it("keeps an R3 stream writable through a SIGKILLed leader, and the restarted node catches up", async () => {
    const connection = await connect({ servers: [...cluster.servers], maxReconnectAttempts: -1 });
    try {
      const jsm = await jetstreamManager(connection);
      const ns = { prefix: uniqueName("cluster") };
      const name = streamNameFor(orderEventsStream, ns);
      // Created with one replica, then scaled by the option, as a redeploy with
      // EVENTS_STREAM_REPLICAS=3 would.
      await ensureStream(jsm, orderEventsStream, ns, { replicas: 1 });
      await ensureStream(jsm, orderEventsStream, ns, { replicas: 3 });
      const { placement } = await waitForPlacement(jsm, name, (p) => p.followers.length === 2, {
        timeoutMs: 20_000,
        what: "two followers",
      });
      expect((await jsm.streams.info(name)).config.num_replicas).toBe(3);

      const js = jetstream(connection);
      const subject = `${ns.prefix}.switchyard.order.v1.order_placed`;
      await js.publish(subject, "before", { msgID: "before" });
      const leader = cluster.node(placement.leader ?? "");
      await leader.kill();
      expect(leader.pid).toBeUndefined();
      await waitForPlacement(jsm, name, hasLeaderOtherThan(leader.name), {
        timeoutMs: 30_000,
        what: "a new leader",
      });
      await js.publish(subject, "during", { msgID: "during", timeout: 10_000 });
      await leader.start();
      const caughtUp = await waitForPlacement(jsm, name, hasCaughtUp(leader.name), {
        timeoutMs: 30_000,
        what: `${leader.name} catching up`,
      });
      expect(caughtUp.placement.messages).toBe(2);
    } finally {
      await connection.close();
    }
  });

  it("stops every node and removes their stores", async () => {
    const pids = cluster.nodes.map((node) => node.pid);
    expect(pids.every((pid) => pid !== undefined)).toBe(true);
    await cluster.stop();
    for (const pid of pids) expect(() => process.kill(pid ?? 0, 0)).toThrow();
    for (const node of cluster.nodes) await expect(access(node.directory)).rejects.toThrow();
    const logs = cluster.nodes.map((node) => node.recentLog());
    expect(logs.join("\n")).toContain("Server is ready");
  });
});
