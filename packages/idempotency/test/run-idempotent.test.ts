import {
  RegisterUserRequest,
  RegisterUserResponse,
} from "@switchyard/contracts/grpc/switchyard/user/v1/user_service";
import { isDomainError } from "@switchyard/errors";
import { sql as raw } from "drizzle-orm";
import { getTableConfig, pgTable, serial, text } from "drizzle-orm/pg-core";
import type { PostgresJsDatabase } from "drizzle-orm/postgres-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  idempotencyKeys,
  idempotencyKeysDdl,
  purgeExpiredIdempotencyKeys,
  runIdempotent,
} from "../src/index.js";
import { createScratchDatabase } from "./test-database.js";

const things = pgTable("things", { id: serial("id").primaryKey(), email: text("email").notNull() });

let scratch: Awaited<ReturnType<typeof createScratchDatabase>>;
let nextKey = 0;
const freshKey = () => `key-${++nextKey}-${Date.now()}`;

beforeAll(async () => {
  scratch = await createScratchDatabase(10);
  for (const statement of idempotencyKeysDdl.split("--> statement-breakpoint")) {
    await scratch.sql.unsafe(statement);
  }
  await scratch.sql`create table things (id serial primary key, email text not null)`;
});

afterAll(async () => {
  await scratch?.drop();
});

/** A RegisterUser command whose execution inserts one `things` row and reports its id. */
function registerUser(options: { key: string | undefined; email: string; caller?: string }) {
  let executions = 0;
  const run = (
    execute: (
      tx: Parameters<Parameters<PostgresJsDatabase["transaction"]>[0]>[0],
    ) => Promise<void> = async () => {},
    db: PostgresJsDatabase = scratch.db,
  ) =>
    runIdempotent(
      db,
      {
        caller: options.caller ?? "web-bff",
        key: options.key,
        operation: "switchyard.user.v1.UserService/RegisterUser",
        request: RegisterUserRequest.fromPartial({ email: options.email, givenName: "Ada" }),
        requestCodec: RegisterUserRequest,
        responseCodec: RegisterUserResponse,
        ttlMs: 60_000,
      },
      async (tx) => {
        executions++;
        const [row] = await tx.insert(things).values({ email: options.email }).returning();
        await execute(tx);
        return RegisterUserResponse.fromPartial({
          user: { userId: String(row?.id), email: options.email, version: 1n },
        });
      },
    );
  return { run, executions: () => executions };
}

async function countThings(email: string): Promise<number> {
  const [row] = await scratch.sql`select count(*)::int as n from things where email = ${email}`;
  return row?.n;
}

describe("runIdempotent", () => {
  it("replays the stored response for a retry with the same key and request, executing once", async () => {
    const command = registerUser({ key: freshKey(), email: "replay@example.com" });
    const first = await command.run();
    const retry = await command.run();
    expect(retry).toEqual(first);
    expect(retry.user?.version).toBe(1n);
    expect(command.executions()).toBe(1);
    expect(await countThings("replay@example.com")).toBe(1);
  });

  it("rejects a key reused with a different request as failed-precondition", async () => {
    const key = freshKey();
    await registerUser({ key, email: "original@example.com" }).run();
    const other = registerUser({ key, email: "different@example.com" });
    const error = await other.run().catch((e: unknown) => e);
    expect(isDomainError(error) && error.kind).toBe("failed-precondition");
    expect((error as Error).message).toBe(
      `idempotency key "${key}" was reused with a different request`,
    );
    expect(other.executions()).toBe(0);
    expect(await countThings("different@example.com")).toBe(0);
  });

  it("executes every time when no key is given, still inside a transaction", async () => {
    const command = registerUser({ key: undefined, email: "nokey@example.com" });
    await command.run();
    await command.run();
    await expect(
      command.run(async () => {
        throw new Error("boom");
      }),
    ).rejects.toThrow("boom");
    expect(command.executions()).toBe(3);
    expect(await countThings("nokey@example.com")).toBe(2);
  });

  it("scopes a key to its caller: another caller's identical key executes afresh", async () => {
    const key = freshKey();
    await registerUser({ key, email: "scoped@example.com", caller: "web-bff" }).run();
    const other = registerUser({ key, email: "scoped@example.com", caller: "gateway" });
    await other.run();
    expect(other.executions()).toBe(1);
    expect(await countThings("scoped@example.com")).toBe(2);
  });

  it("keeps the response for ttlMs, then replaces the expired key and executes again", async () => {
    const key = freshKey();
    const command = registerUser({ key, email: "expiry@example.com" });
    const first = await command.run();
    const [stored] = await scratch.sql`
      select extract(epoch from expires_at - created_at) * 1000 as ttl
      from idempotency_keys where key = ${key}`;
    expect(Number(stored?.ttl)).toBe(60_000);

    await scratch.sql`update idempotency_keys set expires_at = now() - interval '1 second' where key = ${key}`;
    const second = await command.run();
    expect(command.executions()).toBe(2);
    expect(second.user?.userId).not.toBe(first.user?.userId);
    expect(await command.run()).toEqual(second);
  });

  it("runs 100 concurrent duplicates exactly once and gives all of them the same response", async () => {
    const command = registerUser({ key: freshKey(), email: "race@example.com" });
    // A slow first attempt keeps the others waiting on the key's unique index.
    const results = await Promise.all(
      Array.from({ length: 100 }, () =>
        command.run(async (tx) => {
          await tx.execute(raw`select pg_sleep(0.05)`);
        }),
      ),
    );
    expect(command.executions()).toBe(1);
    expect(await countThings("race@example.com")).toBe(1);
    for (const result of results) expect(result).toEqual(results[0]);
  });

  it("rolls back the key with a failed first attempt, so the retry executes", async () => {
    const key = freshKey();
    const command = registerUser({ key, email: "rollback@example.com" });
    await expect(
      command.run(async () => {
        throw new Error("downstream failed");
      }),
    ).rejects.toThrow("downstream failed");
    expect(await countThings("rollback@example.com")).toBe(0);
    expect(await scratch.sql`select 1 from idempotency_keys where key = ${key}`).toHaveLength(0);

    const retry = await command.run();
    expect(retry.user?.email).toBe("rollback@example.com");
    expect(command.executions()).toBe(2);
    expect(await countThings("rollback@example.com")).toBe(1);
  });

  it("lets a duplicate that waited on a failing first attempt execute itself", async () => {
    const command = registerUser({ key: freshKey(), email: "waiter@example.com" });
    let fail: () => void = () => {};
    const failing = new Promise<void>((_, reject) => {
      fail = () => reject(new Error("first attempt failed"));
    });
    const first = command.run(() => failing);
    first.catch(() => {});
    while (command.executions() === 0) await new Promise((r) => setTimeout(r, 5));

    const duplicate = command.run();
    await waitUntilBlockedOnLock();
    fail();
    await expect(first).rejects.toThrow("first attempt failed");
    const result = await duplicate;
    expect(result.user?.email).toBe("waiter@example.com");
    expect(command.executions()).toBe(2);
    expect(await countThings("waiter@example.com")).toBe(1);
  });

  it("rejects malformed keys as invalid-argument on idempotency-key without executing", async () => {
    for (const key of ["", "k".repeat(201), "clé", "line\nbreak"]) {
      const command = registerUser({ key, email: "badkey@example.com" });
      const error = await command.run().catch((e: unknown) => e);
      expect(isDomainError(error) && error.kind).toBe("invalid-argument");
      expect(isDomainError(error) && error.fieldViolations[0]?.field).toBe("idempotency-key");
      expect(command.executions()).toBe(0);
    }
    await expect(
      registerUser({ key: "k".repeat(200), email: "longkey@example.com" }).run(),
    ).resolves.toBeDefined();
  });
});

describe("purgeExpiredIdempotencyKeys", () => {
  it("deletes expired keys only and returns how many it deleted", async () => {
    const expired = freshKey();
    const live = freshKey();
    await registerUser({ key: expired, email: "purge@example.com" }).run();
    await registerUser({ key: live, email: "purge@example.com" }).run();
    await scratch.sql`update idempotency_keys set expires_at = now() - interval '1 second'
      where key = ${expired}`;
    expect(await purgeExpiredIdempotencyKeys(scratch.db)).toBeGreaterThanOrEqual(1);
    const left =
      await scratch.sql`select key from idempotency_keys where key in (${expired}, ${live})`;
    expect(left.map((r) => r.key)).toEqual([live]);
    expect(await purgeExpiredIdempotencyKeys(scratch.db)).toBe(0);
  });
});

describe("idempotencyKeysDdl", () => {
  it("creates the same columns, nullability and primary key as the drizzle table", async () => {
    const columns = await scratch.sql<{ name: string; nullable: string }[]>`
      select column_name as name, is_nullable as nullable from information_schema.columns
      where table_name = 'idempotency_keys' order by ordinal_position`;
    const config = getTableConfig(idempotencyKeys);
    expect(columns.map((c) => [c.name, c.nullable === "NO"])).toEqual(
      config.columns.map((c) => [c.name, c.notNull]),
    );
    const primaryKey = await scratch.sql`
      select a.attname as name from pg_index i
      join pg_attribute a on a.attrelid = i.indrelid and a.attnum = any(i.indkey)
      where i.indrelid = 'idempotency_keys'::regclass and i.indisprimary order by a.attnum`;
    expect(primaryKey.map((r) => r.name)).toEqual(
      config.primaryKeys[0]?.columns.map((c) => c.name),
    );
  });
});

async function waitUntilBlockedOnLock(): Promise<void> {
  for (let i = 0; i < 400; i++) {
    const [row] = await scratch.sql`select count(*)::int as n from pg_stat_activity
      where datname = ${scratch.name} and wait_event_type = 'Lock'`;
    if (row?.n > 0) return;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error("the duplicate never blocked on the first attempt's key");
}
