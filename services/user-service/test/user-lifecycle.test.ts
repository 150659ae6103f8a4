import * as grpc from "@grpc/grpc-js";
import { type User, UserStatus } from "@switchyard/contracts/grpc/switchyard/user/v1/user_service";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  callUnary,
  expectStatus,
  startUserService,
  type UserServiceHarness,
} from "./support/user-service-harness.js";

describe("user lifecycle over gRPC", () => {
  // Frozen by default so that many users share one create_time: paging must then rely on the
  // user_id tie-breaker, which is where keyset pagination usually goes wrong.
  let now = new Date("2025-06-01T12:00:00.000Z");
  let service: UserServiceHarness;

  beforeAll(async () => {
    service = await startUserService({ clock: { now: () => now } });
  });
  afterAll(() => service?.close());

  const register = (email: string, givenName = "Ada", familyName = "Lovelace") =>
    callUnary(service.client.registerUser.bind(service.client), { email, givenName, familyName });

  it("register → get → update (stale version rejected with ABORTED) → suspend", async () => {
    const registered = await register("  Ada.Lovelace@Example.COM ", " Ada ", "Lovelace");
    const user = registered.user as User;
    expect(user).toMatchObject({
      email: "ada.lovelace@example.com",
      givenName: "Ada",
      familyName: "Lovelace",
      status: UserStatus.USER_STATUS_ACTIVE,
      version: 1n,
      createTime: { seconds: BigInt(now.getTime() / 1000), nanos: 0 },
    });
    expect(user.userId).toMatch(/^[0-9a-f-]{36}$/);

    const fetched = await callUnary(service.client.getUser.bind(service.client), {
      userId: user.userId,
    });
    expect(fetched.user).toEqual(user);

    now = new Date(now.getTime() + 1500);
    const updated = await callUnary(service.client.updateUser.bind(service.client), {
      userId: user.userId,
      givenName: "Augusta Ada",
      familyName: "King",
      expectedVersion: 1n,
    });
    expect(updated.user).toMatchObject({
      givenName: "Augusta Ada",
      familyName: "King",
      version: 2n,
    });
    expect(updated.user?.updateTime).toEqual({
      seconds: BigInt(Math.floor(now.getTime() / 1000)),
      nanos: 500_000_000,
    });
    expect(updated.user?.createTime).toEqual(user.createTime);

    // A writer that read version 1 lost the race: it must re-read, not overwrite.
    const stale = await expectStatus(
      callUnary(service.client.updateUser.bind(service.client), {
        userId: user.userId,
        givenName: "Someone",
        familyName: "Else",
        expectedVersion: 1n,
      }),
      grpc.status.ABORTED,
    );
    expect(stale.details).toBe(`user ${user.userId} was modified: expected version 1, current 2`);
    const afterStale = await callUnary(service.client.getUser.bind(service.client), {
      userId: user.userId,
    });
    expect(afterStale.user).toEqual(updated.user);

    const suspended = await callUnary(service.client.suspendUser.bind(service.client), {
      userId: user.userId,
      reason: "chargeback",
    });
    expect(suspended.user).toMatchObject({ status: UserStatus.USER_STATUS_SUSPENDED, version: 3n });
    const [row] = await service.database
      .sql`select suspend_reason from users where user_id = ${user.userId}`;
    expect(row?.suspend_reason).toBe("chargeback");
  });

  it("lists 45 users in pages of 20, 20 and 5 with none missing and none repeated", async () => {
    const paging = await startUserService({ clock: { now: () => now } });
    try {
      const registered: string[] = [];
      for (let i = 0; i < 45; i += 1) {
        const response = await callUnary(paging.client.registerUser.bind(paging.client), {
          email: `paging-${i}@example.com`,
          givenName: "Page",
          familyName: `Number ${i}`,
        });
        registered.push(response.user?.userId ?? "");
      }
      const pages = await listPages(paging, 20);
      expect(pages.map((page) => page.length)).toEqual([20, 20, 5]);
      const seen = pages.flat();
      expect(new Set(seen).size).toBe(45);
      expect([...seen].sort()).toEqual([...registered].sort());
      // page_size 0 means the default, 20.
      const first = await callUnary(paging.client.listUsers.bind(paging.client), {
        pageSize: 0,
        pageToken: "",
      });
      expect(first.users.map((u) => u.userId)).toEqual(pages[0]);
    } finally {
      await paging.close();
    }
  });

  it("keeps paging stable while users are added: nobody who existed is skipped or repeated", async () => {
    const existing = new Set(await listPages(service, 100).then((pages) => pages.flat()));
    for (let i = 0; i < 30; i += 1)
      existing.add((await register(`stable-${i}@example.com`)).user?.userId ?? "");

    const seen: string[] = [];
    let pageToken = "";
    do {
      const page = await callUnary(service.client.listUsers.bind(service.client), {
        pageSize: 7,
        pageToken,
      });
      seen.push(...page.users.map((u) => u.userId));
      pageToken = page.nextPageToken;
      if (seen.length > 1000) throw new Error("pagination never ended");
      // Same create_time, random ids: these land before or after the cursor; either is fine.
      await register(`late-${seen.length}@example.com`);
    } while (pageToken !== "");

    expect(new Set(seen).size).toBe(seen.length);
    for (const id of existing) expect(seen).toContain(id);
  });

  it("orders pages by create_time first, so later registrations come last", async () => {
    now = new Date(now.getTime() + 60_000);
    const newest = await register("newest@example.com");
    const all = (await listPages(service, 7)).flat();
    expect(all.at(-1)).toBe(newest.user?.userId);
  });
});

async function listPages(service: UserServiceHarness, pageSize: number): Promise<string[][]> {
  const pages: string[][] = [];
  let pageToken = "";
  do {
    const page = await callUnary(service.client.listUsers.bind(service.client), {
      pageSize,
      pageToken,
    });
    pages.push(page.users.map((u) => u.userId));
    pageToken = page.nextPageToken;
    if (pages.length > 1000) throw new Error("pagination never ended");
  } while (pageToken !== "");
  return pages;
}
