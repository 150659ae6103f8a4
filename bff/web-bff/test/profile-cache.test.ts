import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Backends, startBackends } from "./support/backends.js";
import { adminScopes, startWebBff, type WebBffHarness } from "./support/web-bff-harness.js";

/** The promise of issue 11: a change reaches every replica's cache within this. */
const invalidationBoundMs = 200;

/**
 * The real web-bff with its profile cache, against the real user-service (which counts the
 * GetUser calls it answers on /metrics). Entries live far longer than any test (60 s fresh,
 * 60 s stale): a new value shows only because the user event removed the old one.
 */
describe("the dashboard's profile cache (NATS: invalidated by user events)", () => {
  let backends: Backends;
  let bff: WebBffHarness;

  beforeAll(async () => {
    backends = await startBackends();
    bff = await startWebBff({
      ...backends,
      budgetMs: 2_000,
      env: { ...backends.natsEnv, CACHE_L1_TTL_MS: "60000", CACHE_L1_STALE_MS: "60000" },
    });
    // Caching starts once web-bff's NATS subscriptions exist (it says so in its log).
    const deadline = Date.now() + 10_000;
    while (
      !bff.logLines.some((line) => line.includes("profile cache on")) &&
      Date.now() < deadline
    ) {
      await sleep(20);
    }
  });
  afterAll(async () => {
    await bff?.close();
    await backends?.close();
  });

  it("says at start-up that it is invalidated by events, with its staleness bound", () => {
    const line = bff.logLines.find((text) => text.includes("profile cache on"));
    expect(line).toBeDefined();
    // 60 s fresh + 60 s stale, no L2: the bound when every event is lost.
    expect(JSON.parse(line ?? "{}")).toMatchObject({ l2: false, stalenessBoundMs: 120_000 });
  });

  it("a second dashboard does not call GetUser", async () => {
    const ada = await backends.registerUser("Ada", "Lovelace");
    const customer = bff.clientFor(ada.userId);
    const before = await backends.getUserCalls();
    const first = await customer.getDashboard({});
    expect(first.profile?.displayName).toBe("Ada Lovelace");
    // The count is live: the first dashboard's GetUser shows in it.
    expect(await backends.getUserCalls()).toBe(before + 1);

    const second = await customer.getDashboard({});
    expect(second.profile).toEqual(first.profile);
    expect(second.degradedSections).toEqual([]);
    expect(await backends.getUserCalls()).toBe(before + 1);
  });

  it(`after UpdateUser the next dashboard shows the new value within ${invalidationBoundMs} ms`, async () => {
    const grace = await backends.registerUser("Grace", "Hopper");
    const customer = bff.clientFor(grace.userId);
    expect((await customer.getDashboard({})).profile?.displayName).toBe("Grace Hopper");

    await backends.updateUser(grace, "Grace Brewster", "Hopper");
    const updatedAt = performance.now();
    let shown = "";
    while (performance.now() - updatedAt < 10_000) {
      shown = (await customer.getDashboard({})).profile?.displayName ?? "";
      if (shown === "Grace Brewster Hopper") break;
      await sleep(5);
    }
    const elapsedMs = performance.now() - updatedAt;
    expect(shown).toBe("Grace Brewster Hopper");
    expect(elapsedMs).toBeLessThan(invalidationBoundMs);
    // And the new value is cached in turn.
    const calls = await backends.getUserCalls();
    await customer.getDashboard({});
    expect(await backends.getUserCalls()).toBe(calls);
  });

  it("another subject never gets the entry: an admin reading the same dashboard asks user-service", async () => {
    const linus = await backends.registerUser("Linus", "Pauling");
    await bff.clientFor(linus.userId).getDashboard({});
    const before = await backends.getUserCalls();

    const admin = bff.clientFor("bff-cache-admin", adminScopes);
    const asAdmin = await admin.getDashboard({ customerId: linus.userId });
    expect(asAdmin.profile?.displayName).toBe("Linus Pauling");
    expect(await backends.getUserCalls()).toBe(before + 1);
    // The same subject with other scopes is another caller too.
    const ownerAsAdmin = bff.clientFor(linus.userId, adminScopes);
    await ownerAsAdmin.getDashboard({ customerId: linus.userId });
    expect(await backends.getUserCalls()).toBe(before + 2);
    // Each caller's own entry is a hit for that caller.
    await admin.getDashboard({ customerId: linus.userId });
    await ownerAsAdmin.getDashboard({ customerId: linus.userId });
    expect(await backends.getUserCalls()).toBe(before + 2);
  });

  it("an update reaches every caller's entry of the user", async () => {
    const mary = await backends.registerUser("Mary", "Somerville");
    const owner = bff.clientFor(mary.userId);
    const admin = bff.clientFor("bff-cache-admin-2", adminScopes);
    await owner.getDashboard({});
    await admin.getDashboard({ customerId: mary.userId });

    await backends.updateUser(mary, "Mary", "Fairfax");
    const updatedAt = performance.now();
    const names = async () => [
      (await owner.getDashboard({})).profile?.displayName,
      (await admin.getDashboard({ customerId: mary.userId })).profile?.displayName,
    ];
    let shown = await names();
    while (
      shown.some((name) => name !== "Mary Fairfax") &&
      performance.now() - updatedAt < 10_000
    ) {
      await sleep(5);
      shown = await names();
    }
    expect(shown).toEqual(["Mary Fairfax", "Mary Fairfax"]);
  });
});

describe("the dashboard's profile cache without NATS, and switched off", () => {
  let backends: Backends;
  let l1Only: WebBffHarness;
  let off: WebBffHarness;

  beforeAll(async () => {
    backends = await startBackends();
    l1Only = await startWebBff({
      ...backends,
      budgetMs: 2_000,
      env: { PROFILE_CACHE_TTL_WITHOUT_NATS_MS: "1000" },
    });
    off = await startWebBff({ ...backends, budgetMs: 2_000, env: { CACHE: "off" } });
  });
  afterAll(async () => {
    await l1Only?.close();
    await off?.close();
    await backends?.close();
  });

  it("without NATS_URL: L1 only, and the start-up log says so with its staleness bound", () => {
    const line = l1Only.logLines.find((text) => text.includes("profile cache: L1 only"));
    expect(line).toBeDefined();
    expect(JSON.parse(line ?? "{}")).toMatchObject({ ttlMs: 1000, stalenessBoundMs: 1000 });
  });

  it("without NATS_URL: a change shows once the short TTL has run out", async () => {
    const emmy = await backends.registerUser("Emmy", "Noether");
    const customer = l1Only.clientFor(emmy.userId);
    const before = await backends.getUserCalls();
    await customer.getDashboard({});
    await customer.getDashboard({});
    expect(await backends.getUserCalls()).toBe(before + 1);

    await backends.updateUser(emmy, "Amalie Emmy", "Noether");
    // The TTL is the bound: 1 s, then the next dashboard reads user-service again.
    await sleep(1_100);
    expect((await customer.getDashboard({})).profile?.displayName).toBe("Amalie Emmy Noether");
  });

  it("CACHE=off: every dashboard calls GetUser", async () => {
    const alan = await backends.registerUser("Alan", "Turing");
    const customer = off.clientFor(alan.userId);
    const before = await backends.getUserCalls();
    await customer.getDashboard({});
    await customer.getDashboard({});
    expect(await backends.getUserCalls()).toBe(before + 2);
  });
});
