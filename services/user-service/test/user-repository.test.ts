import type { DomainError } from "@switchyard/errors";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { User } from "../src/domain/user.js";
import { newUserId } from "../src/domain/user-id.js";
import { createUserRepository, type UserRepository } from "../src/persistence/user-repository.js";
import { startMigratedDatabase } from "./support/user-service-harness.js";

const t0 = new Date("2025-03-01T00:00:00.000Z");

function newUser(email: string, createTime = t0): User {
  return {
    userId: newUserId(),
    email,
    givenName: "Ada",
    familyName: "Lovelace",
    status: "active",
    suspendReason: null,
    version: 1n,
    createTime,
    updateTime: createTime,
  };
}

async function domainErrorOf(promise: Promise<unknown>): Promise<DomainError> {
  return promise.then(
    () => {
      throw new Error("expected a rejection");
    },
    (error: DomainError) => error,
  );
}

describe("user repository on real Postgres", () => {
  let handle: Awaited<ReturnType<typeof startMigratedDatabase>>;
  let users: UserRepository;

  beforeAll(async () => {
    handle = await startMigratedDatabase();
    users = createUserRepository(handle.database.db);
  });
  afterAll(() => handle?.close());

  it("round-trips a user, bigint version and millisecond timestamps included", async () => {
    const user = newUser("round@example.com", new Date("2025-03-01T00:00:00.123Z"));
    expect(await users.insert(user)).toEqual(user);
    expect(await users.findById(user.userId)).toEqual(user);
  });

  it("lets the unique index decide between concurrent registrations of one email", async () => {
    const attempts = await Promise.allSettled(
      Array.from({ length: 10 }, () => users.insert(newUser("race@example.com"))),
    );
    const rejected = attempts.flatMap((a) => (a.status === "rejected" ? [a.reason] : []));
    expect(attempts.filter((a) => a.status === "fulfilled")).toHaveLength(1);
    expect(rejected.map((e: DomainError) => e.kind)).toEqual(Array(9).fill("already-exists"));
  });

  it("updates only when the expected version matches, atomically", async () => {
    const user = await users.insert(newUser("cas@example.com"));
    const later = new Date(t0.getTime() + 1000);
    const attempts = await Promise.allSettled(
      ["One", "Two", "Three"].map((givenName) =>
        users.updateProfile({
          userId: user.userId,
          givenName,
          familyName: "X",
          expectedVersion: 1n,
          now: later,
        }),
      ),
    );
    const won = attempts.flatMap((a) => (a.status === "fulfilled" ? [a.value] : []));
    expect(won).toHaveLength(1);
    expect(won[0]).toMatchObject({ version: 2n, updateTime: later, createTime: t0 });
    for (const a of attempts) {
      if (a.status === "rejected") {
        expect((a.reason as DomainError).kind).toBe("aborted");
        expect((a.reason as Error).message).toBe(
          `user ${user.userId} was modified: expected version 1, current 2`,
        );
      }
    }
    const missing = await domainErrorOf(
      users.updateProfile({
        userId: newUserId(),
        givenName: "A",
        familyName: "B",
        expectedVersion: 1n,
        now: later,
      }),
    );
    expect(missing.kind).toBe("not-found");
  });

  it("suspends an active user once, storing the reason and bumping the version", async () => {
    const user = await users.insert(newUser("suspend@example.com"));
    const suspended = await users.suspend({ userId: user.userId, reason: "fraud", now: t0 });
    expect(suspended).toMatchObject({ status: "suspended", suspendReason: "fraud", version: 2n });
    const again = await domainErrorOf(users.suspend({ userId: user.userId, reason: "", now: t0 }));
    expect([again.kind, again.message]).toEqual([
      "failed-precondition",
      "user is already SUSPENDED",
    ]);
    expect((await users.get(user.userId)).version).toBe(2n);
    const missing = await domainErrorOf(users.get(newUserId()));
    expect(missing.kind).toBe("not-found");
  });

  it("rejects rows that break the table's invariants", async () => {
    const bad = { ...newUser("check@example.com"), status: "deleted" as User["status"] };
    await expect(users.insert(bad)).rejects.toThrow();
    await expect(users.insert({ ...newUser("v0@example.com"), version: 0n })).rejects.toThrow();
  });

  it("pages in (create_time, user_id) order and reports the next cursor only when more remain", async () => {
    await handle.database.sql`delete from users`;
    const times = [2, 1, 1, 3, 1].map((s) => new Date(t0.getTime() + s * 1000));
    for (const [i, time] of times.entries()) await users.insert(newUser(`p${i}@example.com`, time));
    const expected = (
      await handle.database.sql<{ user_id: string }[]>`
      select user_id from users order by create_time, user_id`
    ).map((r) => r.user_id);

    const first = await users.listPage({ pageSize: 3, after: undefined });
    expect(first.users.map((u) => u.userId)).toEqual(expected.slice(0, 3));
    expect(first.next).toEqual({ createTime: first.users[2]?.createTime, userId: expected[2] });
    const second = await users.listPage({ pageSize: 3, after: first.next });
    expect(second.users.map((u) => u.userId)).toEqual(expected.slice(3));
    expect(second.next).toBeUndefined();
    const exact = await users.listPage({ pageSize: 5, after: undefined });
    expect(exact.next).toBeUndefined();
  });
});
