import { setTimeout as sleep } from "node:timers/promises";
import { subjectFor, userUpdated } from "@switchyard/events";
import { afterAll, describe, expect, it } from "vitest";
import {
  createTieredCache,
  defaultCacheSettings,
  type EventInvalidation,
  invalidatedBy,
  invalidateOnEvents,
} from "../src/index.js";
import { useTestNats } from "./support/test-nats-connections.js";

const testNats = useTestNats();
const invalidations: EventInvalidation[] = [];

afterAll(async () => {
  await Promise.all(invalidations.map((invalidation) => invalidation.stop()));
});

describe("invalidation by domain events (real NATS, core subscriptions)", () => {
  it("one UserUpdated removes the key from L1 on EVERY replica", async () => {
    const names = new Map([["u1", "Ada"]]);
    let reads = 0;
    const namespace = { prefix: testNats.nats().prefix };
    const replicas = await Promise.all(
      [0, 1].map(async () => {
        const cache = createTieredCache<string>({
          name: "test",
          settings: { ...defaultCacheSettings, l2Enabled: false },
          load: async (key) => {
            reads++;
            return names.get(key);
          },
        });
        invalidations.push(
          invalidateOnEvents({
            nats: await testNats.connection(),
            namespace,
            cache,
            events: [
              invalidatedBy({
                type: userUpdated,
                keyOf: (event) => event.userId,
                versionOf: (event) => event.userVersion,
              }),
            ],
          }),
        );
        return cache;
      }),
    );
    for (const cache of replicas) expect(await cache.get("u1")).toBe("Ada");
    expect(reads).toBe(2);

    names.set("u1", "Ada L.");
    const publisher = await testNats.connection();
    await publisher.flush(); // the replicas' subscriptions are registered by now
    const event = userUpdated.codec.encode({
      eventId: "e1",
      occurTime: undefined,
      userId: "u1",
      userVersion: 2n,
      givenName: "Ada",
      familyName: "L.",
    });
    publisher.publish(subjectFor(userUpdated, namespace), event.finish());
    await publisher.flush();

    const deadline = Date.now() + 2_000;
    let answers: (string | undefined)[] = [];
    while (Date.now() < deadline) {
      answers = await Promise.all(replicas.map((cache) => cache.get("u1")));
      if (answers.every((name) => name === "Ada L.")) break;
      await sleep(10);
    }
    expect(answers).toEqual(["Ada L.", "Ada L."]);
    for (const cache of replicas) expect(cache.stats().invalidations).toBe(1);
  });
});
