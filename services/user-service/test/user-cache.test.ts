import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import * as grpc from "@grpc/grpc-js";
import {
  type User,
  UserServiceClient,
  UserStatus,
} from "@switchyard/contracts/grpc/switchyard/user/v1/user_service";
import type { Database } from "@switchyard/database";
import { type RunningGrpcService, startGrpcService } from "@switchyard/service-host";
import {
  accessPolicyWithTestCaller,
  testCallerWorkload,
  testClient,
  testIdentity,
  tlsEnv,
} from "@switchyard/service-host/testing";
import {
  createTestDatabase,
  createTestNats,
  type TestDatabase,
  type TestNats,
  untilEachServesChange,
} from "@switchyard/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runningUserCache } from "../src/caching/user-cache.js";
import { newUserId } from "../src/domain/user-id.js";
import { declareUserService, userCacheInvalidationName } from "../src/user-service.js";
import { callUnary, userServiceTestCertificates } from "./support/user-service-harness.js";

// The ids the next registrations get (then random again): lets a test ask for a user before
// it exists, which is how a "not found" gets cached.
const nextUserIds: string[] = [];
const userServiceWithKnownIds = declareUserService({
  newUserId: () => nextUserIds.shift() ?? newUserId(),
});

/** The promise the issue makes: every replica serves a change within this. */
const invalidationBoundMs = 200;

interface Replica {
  running: RunningGrpcService<unknown>;
  client: UserServiceClient;
  getUser(userId: string): Promise<User | undefined>;
}

let testDatabase: TestDatabase;
let nats: TestNats;
const replicas: Replica[] = [];
const closers: (() => void)[] = [];
const stoppers: (() => Promise<void>)[] = [];

/** A user-service replica on the shared database and NATS namespace (so one L2 bucket). */
async function startReplica(extraEnv: Record<string, string> = {}): Promise<Replica> {
  const certs = userServiceTestCertificates();
  const running = await startGrpcService(userServiceWithKnownIds, {
    env: {
      DATABASE_URL: testDatabase.url,
      NATS_URL: nats.url,
      EVENTS_NAMESPACE: nats.prefix,
      SHUTDOWN_GRACE_MS: "1000",
      SHUTDOWN_DRAIN_DELAY_MS: "0",
      LOG_LEVEL: "silent",
      ...tlsEnv(certs, "user-service"),
      ...extraEnv,
    },
    policy: accessPolicyWithTestCaller("user-service"),
  });
  const identity = testIdentity(certs, testCallerWorkload);
  const client = testClient(UserServiceClient, {
    target: running.target,
    server: "user-service",
    identity,
  });
  closers.push(
    () => client.close(),
    () => identity.close(),
  );
  stoppers.push(() => running.stop());
  return {
    running,
    client,
    async getUser(userId) {
      try {
        return (await callUnary(client.getUser.bind(client), { userId })).user;
      } catch (error) {
        if ((error as grpc.ServiceError).code === grpc.status.NOT_FOUND) return undefined;
        throw error;
      }
    },
  };
}

/** Two user-service replicas: one database, one NATS namespace (so one L2 bucket). */
beforeAll(async () => {
  testDatabase = await createTestDatabase({ prefix: "user_service" });
  nats = await createTestNats();
  for (let i = 0; i < 2; i++) replicas.push(await startReplica());
});
afterAll(async () => {
  for (const close of closers) close();
  await Promise.all(stoppers.map((stop) => stop()));
  await nats?.close();
  await testDatabase?.drop();
});

const replica = (index: number): Replica => {
  const found = replicas[index];
  if (found === undefined) throw new Error(`no replica ${index}`);
  return found;
};

/** Counts the SELECTs the replica's cache loader sends (it reads the pool's `db` per load). */
function countSelects(database: Database): { count(): number; restore(): void } {
  const real = database.db;
  let selects = 0;
  database.db = new Proxy(real, {
    get(target, property, receiver) {
      if (property === "select") selects++;
      return Reflect.get(target, property, receiver);
    },
  });
  return {
    count: () => selects,
    restore() {
      database.db = real;
    },
  };
}

async function register(email: string): Promise<User> {
  const client = replica(0).client;
  const { user } = await callUnary(client.registerUser.bind(client), {
    email,
    givenName: "Grace",
    familyName: "Hopper",
  });
  if (user === undefined) throw new Error("RegisterUser answered without a user");
  return user;
}

/** For every replica: how long after `since` (when the write answered) it served the change. */
function untilEveryReplica(
  userId: string,
  accept: (user: User | undefined) => boolean,
  since: number,
): Promise<number[]> {
  return untilEachServesChange(replicas, {
    probe: (each) => each.getUser(userId),
    changed: accept,
    since,
    nameOf: (each) => `replica ${each.running.target} (user ${userId})`,
  });
}

describe("GetUser through the users cache (two replicas, real Postgres and NATS)", () => {
  it("100 concurrent GetUser misses for one user → exactly 1 database read", async () => {
    const user = await register(`${randomUUID()}@example.com`);
    // Its UserRegistered is delivered before the reads (an invalidation in the middle of them
    // would rightly cost a second read).
    await replica(0).running.waitUntilIdle();
    await sleep(100);
    const cache = runningUserCache(replica(1).running.context);
    const before = cache?.stats();
    const selects = countSelects(replica(1).running.context.database);
    try {
      const answers = await Promise.all(
        Array.from({ length: 100 }, () => replica(1).getUser(user.userId)),
      );
      expect(answers.every((answer) => answer?.userId === user.userId)).toBe(true);
      expect(selects.count()).toBe(1);
      await replica(1).getUser(user.userId);
      const after = cache?.stats();
      expect({
        misses: (after?.misses ?? 0) - (before?.misses ?? 0),
        loads: (after?.loads ?? 0) - (before?.loads ?? 0),
        hits: (after?.hits ?? 0) - (before?.hits ?? 0),
      }).toEqual({ misses: 100, loads: 1, hits: 1 });
    } finally {
      selects.restore();
    }
  });

  it(`after UpdateUser and after SuspendUser, EVERY replica serves the new value within ${invalidationBoundMs} ms`, async () => {
    const user = await register(`${randomUUID()}@example.com`);
    // Both replicas hold version 1 in L1 (the second read on each is a hit).
    for (const each of replicas) {
      await each.getUser(user.userId);
      expect((await each.getUser(user.userId))?.version).toBe(1n);
    }
    const client = replica(0).client;

    // Measured from the write's answer: the change is committed and acknowledged then.
    await callUnary(client.updateUser.bind(client), {
      userId: user.userId,
      givenName: "Grace B.",
      familyName: "Hopper",
      expectedVersion: 1n,
    });
    const updateStart = Date.now();
    const afterUpdate = await untilEveryReplica(
      user.userId,
      (seen) => seen?.givenName === "Grace B.",
      updateStart,
    );

    await callUnary(client.suspendUser.bind(client), { userId: user.userId, reason: "test" });
    const suspendStart = Date.now();
    const afterSuspend = await untilEveryReplica(
      user.userId,
      (seen) => seen?.status === UserStatus.USER_STATUS_SUSPENDED,
      suspendStart,
    );

    console.log(
      `[user cache] new value served by replicas [writer, other] after UpdateUser: ${afterUpdate.join(", ")} ms; after SuspendUser: ${afterSuspend.join(", ")} ms`,
    );
    for (const elapsed of [...afterUpdate, ...afterSuspend]) {
      expect(elapsed).toBeLessThanOrEqual(invalidationBoundMs);
    }
  });

  it("a not-found user is cached negatively, then found on every replica once registered", async () => {
    const userId = randomUUID();
    const selects = replicas.map((each) => countSelects(each.running.context.database));
    try {
      for (const each of replicas) {
        expect(await each.getUser(userId)).toBeUndefined();
        expect(await each.getUser(userId)).toBeUndefined();
      }
      // One read per replica: the second "not found" came from the negative entry.
      expect(selects.map((s) => s.count())).toEqual([1, 1]);
    } finally {
      for (const s of selects) s.restore();
    }
    nextUserIds.push(userId);
    const registered = await register(`${randomUUID()}@example.com`);
    const registerStart = Date.now();
    expect(registered.userId).toBe(userId);
    const found = await untilEveryReplica(userId, (seen) => seen?.userId === userId, registerStart);
    console.log(`[user cache] registered user found by replicas after: ${found.join(", ")} ms`);
    for (const elapsed of found) expect(elapsed).toBeLessThanOrEqual(invalidationBoundMs);
  });

  it("CACHE=off (what benchmarks compare against): every GetUser reads the database", async () => {
    const uncached = await startReplica({ CACHE: "off" });
    const user = await register(`${randomUUID()}@example.com`);
    const selects = countSelects(uncached.running.context.database);
    try {
      for (let i = 0; i < 3; i++)
        expect((await uncached.getUser(user.userId))?.userId).toBe(user.userId);
      expect(selects.count()).toBe(3);
      expect(Object.keys(uncached.running.background)).toEqual([userCacheInvalidationName]);
    } finally {
      selects.restore();
    }
  });
});
