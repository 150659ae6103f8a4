import {
  type IdempotentCommand,
  idempotencyKeys,
  requestFingerprint,
} from "@switchyard/idempotency";
import { and, eq, gt, isNotNull, sql } from "drizzle-orm";
import type { PostgresJsDatabase } from "drizzle-orm/postgres-js";

/**
 * The response a committed, unexpired key stored for this very request, or undefined (new key,
 * key still in flight, or reused with another request: `runIdempotent` then decides). Read
 * without locks BEFORE checks that depend on the current state of the world, so a replay
 * answers what the first attempt answered even if that state changed since (e.g. the customer
 * was suspended after the order was placed).
 */
export async function storedIdempotentResponse<Req, Res>(
  db: PostgresJsDatabase,
  command: IdempotentCommand<Req, Res>,
): Promise<Res | undefined> {
  if (command.key === undefined) return undefined;
  const [stored] = await db
    .select({ requestHash: idempotencyKeys.requestHash, response: idempotencyKeys.response })
    .from(idempotencyKeys)
    .where(
      and(
        eq(idempotencyKeys.caller, command.caller),
        eq(idempotencyKeys.operation, command.operation),
        eq(idempotencyKeys.key, command.key),
        gt(idempotencyKeys.expiresAt, sql`now()`),
        isNotNull(idempotencyKeys.response),
      ),
    );
  if (stored?.response == null) return undefined;
  if (stored.requestHash !== requestFingerprint(command.request, command.requestCodec)) {
    return undefined;
  }
  return command.responseCodec.decode(stored.response);
}
