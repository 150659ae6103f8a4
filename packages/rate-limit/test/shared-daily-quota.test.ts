import { createTestNats, type TestNats } from "@switchyard/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { natsQuotaStore, type QuotaStore, SharedDailyQuota } from "../src/index.js";

let nats: TestNats;
const stores: QuotaStore[] = [];

beforeAll(async () => {
  nats = await createTestNats();
});
afterAll(async () => {
  await Promise.all(stores.map((store) => store.close()));
  await nats.close();
});

function store(bucket: string, url = nats.url): QuotaStore {
  const created = natsQuotaStore({ url, bucket, timeoutMs: 1_000, name: "quota-test" });
  stores.push(created);
  return created;
}

async function untilOpen(quota: SharedDailyQuota, subject: string) {
  for (let i = 0; i < 100; i++) {
    const decision = await quota.take(subject);
    if (decision.outcome !== "store-unavailable") return decision;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error("quota store never opened");
}

describe("SharedDailyQuota on real NATS KV", () => {
  it("two replicas on one bucket accept exactly the quota between them", async () => {
    const bucket = `${nats.prefix}-quotas`;
    const replicas = [0, 1].map(
      () =>
        new SharedDailyQuota({
          quota: 95,
          blockSize: 10,
          onStoreUnavailable: "closed",
          store: store(bucket),
        }),
    );
    let accepted = 0;
    for (const replica of replicas) {
      if ((await untilOpen(replica, "subject-1")).outcome === "allowed") accepted++;
    }
    // Offer 3× the quota, interleaved and concurrent on both replicas.
    const decisions = await Promise.all(
      Array.from({ length: 285 }, (_, i) => replicas[i % 2]?.take("subject-1")),
    );
    accepted += decisions.filter((d) => d?.outcome === "allowed").length;
    expect(accepted).toBe(95);
    expect(decisions.at(-1)).toMatchObject({ outcome: "exhausted", remaining: 0 });
    // Another subject has its own quota.
    expect((await replicas[0]?.take("subject-2"))?.outcome).toBe("allowed");
  });

  it("spends locally: one KV round trip per block, not per request", async () => {
    let reservations = 0;
    const real = store(`${nats.prefix}-blocks`);
    const counting: QuotaStore = {
      reserve: (...args) => {
        reservations++;
        return real.reserve(...args);
      },
      close: () => real.close(),
    };
    const quota = new SharedDailyQuota({
      quota: 1_000,
      blockSize: 25,
      onStoreUnavailable: "closed",
      store: counting,
    });
    await untilOpen(quota, "s");
    reservations = 0;
    for (let i = 0; i < 99; i++) await quota.take("s");
    // 1 + 99 = 100 requests = 4 blocks of 25; the first was reserved before the count started.
    expect(reservations).toBe(3);
  });

  it("NATS unreachable: fail open or fail closed, as configured", async () => {
    // Nothing listens on port 1: the store never opens.
    const unreachable = store("unused", "nats://127.0.0.1:1");
    const open = new SharedDailyQuota({
      quota: 5,
      blockSize: 2,
      onStoreUnavailable: "open",
      store: unreachable,
    });
    const closed = new SharedDailyQuota({
      quota: 5,
      blockSize: 2,
      onStoreUnavailable: "closed",
      store: unreachable,
    });
    expect(await open.take("s")).toMatchObject({ outcome: "store-unavailable", failOpen: true });
    expect(await closed.take("s")).toMatchObject({
      outcome: "store-unavailable",
      failOpen: false,
    });
  });
});
