import { aborted, alreadyExists, failedPrecondition, notFound } from "@switchyard/errors";
import { and, asc, eq, sql } from "drizzle-orm";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import type { PageCursor } from "../domain/page-token.js";
import type { User } from "../domain/user.js";
import { users } from "./schema.js";

/** A drizzle database or an open transaction on it. */
export type SqlExecutor = PgDatabase<PgQueryResultHKT>;

export interface UserPage {
  users: User[];
  /** Cursor of the last user when more follow; undefined on the last page. */
  next: PageCursor | undefined;
}

/** Persistence of users. Every write is one atomic statement; no check-then-write. */
export interface UserRepository {
  /** Inserts a new user; a taken email → already-exists. */
  insert(user: User): Promise<User>;
  findById(userId: string): Promise<User | undefined>;
  /** Like findById, but unknown → not-found. */
  get(userId: string): Promise<User>;
  /** Compare-and-set on version: stale → aborted, unknown → not-found. */
  updateProfile(update: {
    userId: string;
    givenName: string;
    familyName: string;
    expectedVersion: bigint;
    now: Date;
  }): Promise<User>;
  /** active → suspended: already suspended → failed-precondition, unknown → not-found. */
  suspend(suspension: { userId: string; reason: string; now: Date }): Promise<User>;
  /** One page in (create_time, user_id) order, strictly after the cursor. */
  listPage(query: { pageSize: number; after: PageCursor | undefined }): Promise<UserPage>;
}

const emailUniqueConstraint = "users_email_unique";

/** Repository over a database or a transaction (pass the transaction to join it). */
export function createUserRepository(db: SqlExecutor): UserRepository {
  async function findById(userId: string): Promise<User | undefined> {
    const [row] = await db.select().from(users).where(eq(users.userId, userId));
    return row;
  }

  async function get(userId: string): Promise<User> {
    const user = await findById(userId);
    if (user === undefined) throw notFound(`user ${userId} not found`);
    return user;
  }

  return {
    async insert(user) {
      try {
        const [row] = await db.insert(users).values(user).returning();
        if (row === undefined) throw new Error("INSERT … RETURNING returned no row");
        return row;
      } catch (error) {
        // The unique index decides, so two concurrent registrations cannot both win.
        if (uniqueViolationConstraint(error) === emailUniqueConstraint) {
          throw alreadyExists("a user with this email already exists");
        }
        throw error;
      }
    },

    findById,
    get,

    async updateProfile({ userId, givenName, familyName, expectedVersion, now }) {
      const [row] = await db
        .update(users)
        .set({ givenName, familyName, version: sql`${users.version} + 1`, updateTime: now })
        .where(and(eq(users.userId, userId), eq(users.version, expectedVersion)))
        .returning();
      if (row !== undefined) return row;
      const current = await get(userId);
      throw aborted(
        `user ${userId} was modified: expected version ${expectedVersion}, current ${current.version}`,
      );
    },

    async suspend({ userId, reason, now }) {
      const [row] = await db
        .update(users)
        .set({
          status: "suspended",
          suspendReason: reason === "" ? null : reason,
          version: sql`${users.version} + 1`,
          updateTime: now,
        })
        .where(and(eq(users.userId, userId), eq(users.status, "active")))
        .returning();
      if (row !== undefined) return row;
      const current = await get(userId);
      throw failedPrecondition(`user is already ${current.status.toUpperCase()}`);
    },

    async listPage({ pageSize, after }) {
      const rows = await db
        .select()
        .from(users)
        .where(
          after === undefined
            ? undefined
            : sql`(${users.createTime}, ${users.userId}) > (${after.createTime.toISOString()}::timestamptz, ${after.userId}::uuid)`,
        )
        .orderBy(asc(users.createTime), asc(users.userId))
        // One extra row tells whether another page exists without a COUNT.
        .limit(pageSize + 1);
      const page = rows.slice(0, pageSize);
      const last = page.at(-1);
      const next =
        rows.length > pageSize && last !== undefined
          ? { createTime: last.createTime, userId: last.userId }
          : undefined;
      return { users: page, next };
    },
  };
}

/** The constraint name of a Postgres unique violation (23505) anywhere in the cause chain. */
function uniqueViolationConstraint(error: unknown): string | undefined {
  for (let current = error; current instanceof Error; current = current.cause) {
    const fields = current as Error & { code?: unknown; constraint_name?: unknown };
    if (fields.code === "23505" && typeof fields.constraint_name === "string") {
      return fields.constraint_name;
    }
  }
  return undefined;
}
