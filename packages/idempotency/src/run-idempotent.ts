import { aborted, failedPrecondition, invalidArgument } from "@switchyard/errors";
import { and, eq, lte, sql } from "drizzle-orm";
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from "drizzle-orm/pg-core";
import type { TablesRelationalConfig } from "drizzle-orm/relations";
import { idempotencyKeys } from "./idempotency-keys-table.js";
import type { MessageCodec } from "./message-codec.js";
import { requestFingerprint } from "./request-fingerprint.js";

const keyPattern = /^[\x20-\x7e]{1,200}$/;

/** What identifies one idempotent command and how its request and response are stored. */
export interface IdempotentCommand<Req, Res> {
  /** Who sent it: keys are scoped per caller, so two callers never share a key. */
  caller: string;
  /** The client's idempotency key; undefined runs the command without deduplication. */
  key: string | undefined;
  /** The command's name, e.g. "switchyard.user.v1.UserService/RegisterUser". */
  operation: string;
  request: Req;
  requestCodec: MessageCodec<Req>;
  responseCodec: MessageCodec<Res>;
  /** How long the stored response is replayed; after that the key may be used afresh. */
  ttlMs: number;
}

function rowOf(command: { caller: string; operation: string; key: string }) {
  return and(
    eq(idempotencyKeys.caller, command.caller),
    eq(idempotencyKeys.operation, command.operation),
    eq(idempotencyKeys.key, command.key),
  );
}

/**
 * Runs `execute` at most once per (caller, operation, key), in one transaction with the key.
 * The key row is inserted FIRST, under its primary key: a concurrent duplicate blocks on that
 * index until the first attempt commits, then replays its stored response (or, if the first
 * attempt rolled back, executes itself). A key reused with a different request fails with
 * failed-precondition; a malformed key with invalid-argument on field "idempotency-key".
 */
export async function runIdempotent<
  Req,
  Res,
  TQueryResult extends PgQueryResultHKT,
  TFullSchema extends Record<string, unknown>,
  TSchema extends TablesRelationalConfig,
>(
  db: PgDatabase<TQueryResult, TFullSchema, TSchema>,
  command: IdempotentCommand<Req, Res>,
  execute: (tx: PgTransaction<TQueryResult, TFullSchema, TSchema>) => Promise<Res>,
): Promise<Res> {
  const { key } = command;
  // Read committed is what lets the waiting duplicate see the row the first attempt committed.
  const config = { isolationLevel: "read committed" } as const;
  if (key === undefined) return db.transaction(execute, config);
  if (!keyPattern.test(key)) {
    throw invalidArgument([
      { field: "idempotency-key", description: "must be 1 to 200 printable ASCII characters" },
    ]);
  }
  if (!(command.ttlMs > 0)) throw new Error(`ttlMs must be positive, got ${command.ttlMs}`);

  const id = { caller: command.caller, operation: command.operation, key };
  const requestHash = requestFingerprint(command.request, command.requestCodec);

  return db.transaction(async (tx) => {
    await tx
      .delete(idempotencyKeys)
      .where(and(rowOf(id), lte(idempotencyKeys.expiresAt, sql`now()`)));
    const inserted = await tx
      .insert(idempotencyKeys)
      .values({
        ...id,
        requestHash,
        expiresAt: sql`now() + ${command.ttlMs}::double precision * interval '1 millisecond'`,
      })
      .onConflictDoNothing()
      .returning({ key: idempotencyKeys.key });

    if (inserted.length > 0) {
      const response = await execute(tx);
      await tx
        .update(idempotencyKeys)
        .set({ response: command.responseCodec.encode(response).finish() })
        .where(rowOf(id));
      return response;
    }

    const [stored] = await tx
      .select({ requestHash: idempotencyKeys.requestHash, response: idempotencyKeys.response })
      .from(idempotencyKeys)
      .where(rowOf(id));
    if (stored === undefined) {
      // The winning row vanished between our insert and this read (expired and purged).
      throw aborted(`idempotency key ${JSON.stringify(key)} changed concurrently; retry`);
    }
    if (stored.requestHash !== requestHash) {
      throw failedPrecondition(
        `idempotency key ${JSON.stringify(key)} was reused with a different request`,
      );
    }
    if (stored.response === null) {
      throw new Error(`idempotency key ${JSON.stringify(key)} was committed without a response`);
    }
    return command.responseCodec.decode(stored.response);
  }, config);
}

/** Deletes every expired key (run it periodically); returns how many were deleted. */
export async function purgeExpiredIdempotencyKeys<
  TQueryResult extends PgQueryResultHKT,
  TFullSchema extends Record<string, unknown>,
  TSchema extends TablesRelationalConfig,
>(db: PgDatabase<TQueryResult, TFullSchema, TSchema>): Promise<number> {
  const deleted = await db
    .delete(idempotencyKeys)
    .where(lte(idempotencyKeys.expiresAt, sql`now()`))
    .returning({ key: idempotencyKeys.key });
  return deleted.length;
}
