import * as grpc from "@grpc/grpc-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  callUnary,
  expectStatus,
  startUserService,
  type UserServiceHarness,
  withIdempotencyKey,
} from "./support/user-service-harness.js";

describe("RegisterUser with an idempotency-key", () => {
  let service: UserServiceHarness;

  beforeAll(async () => {
    service = await startUserService();
  });
  afterAll(() => service?.close());

  const register = (key: string | undefined, email: string, givenName = "Ada") =>
    callUnary(
      service.client.registerUser.bind(service.client),
      { email, givenName, familyName: "Lovelace" },
      key === undefined ? {} : { metadata: withIdempotencyKey(key), deadlineMs: 30_000 },
    );

  it("replays the first response for a retry with the same key and request: one row", async () => {
    const first = await register("retry-1", "retry@example.com");
    const retry = await register("retry-1", "retry@example.com");
    expect(retry).toEqual(first);
    expect(await service.countUsers()).toBe(1);
  });

  it("rejects the same key with a different request as FAILED_PRECONDITION and creates nothing", async () => {
    const first = await register("reused-1", "first@example.com");
    const before = await service.snapshot();
    const error = await expectStatus(
      register("reused-1", "second@example.com"),
      grpc.status.FAILED_PRECONDITION,
    );
    expect(error.details).toMatch(/reused with a different request/);
    expect(await service.snapshot()).toBe(before);
    // The original response is still what the key replays.
    expect(await register("reused-1", "first@example.com")).toEqual(first);
  });

  it("without a key, a second identical request is a duplicate email, not a replay", async () => {
    await register(undefined, "nokey@example.com");
    await expectStatus(register(undefined, "nokey@example.com"), grpc.status.ALREADY_EXISTS);
  });

  it("100 concurrent RegisterUser calls with one idempotency key create exactly one user and every success carries the same user_id", async () => {
    const before = await service.countUsers();
    const results = await Promise.allSettled(
      Array.from({ length: 100 }, () => register("stampede-1", "stampede@example.com")),
    );
    const successes = results.flatMap((r) => (r.status === "fulfilled" ? [r.value] : []));
    const failures = results.flatMap((r) => (r.status === "rejected" ? [String(r.reason)] : []));
    // Wait-and-replay means nobody has to fail: duplicates wait for the first and replay it.
    expect(failures).toEqual([]);
    expect(new Set(successes.map((s) => s.user?.userId)).size).toBe(1);
    expect(successes[0]?.user?.email).toBe("stampede@example.com");
    expect(await service.countUsers()).toBe(before + 1);
    const [row] = await service.database.sql`
      select count(*)::int as n from users where email = 'stampede@example.com'`;
    expect(row?.n).toBe(1);
  });
});
