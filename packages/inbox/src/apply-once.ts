import { sql } from "drizzle-orm";
import type { ConsumedEvent, EventHandler, InboxDatabase } from "./consumed-event.js";
import { inboxMessages } from "./inbox-messages-table.js";

/**
 * Records the event in the inbox and applies its effect, in one transaction (`db` may itself
 * be a transaction, as in a rebuild). The insert comes FIRST: a concurrent or later duplicate
 * conflicts on the primary key and skips the handler. Returns false for a duplicate.
 */
export async function applyOnce(
  db: InboxDatabase,
  consumer: string,
  event: ConsumedEvent,
  handle: EventHandler,
): Promise<boolean> {
  return db.transaction(async (tx) => {
    const inserted = await tx
      .insert(inboxMessages)
      .values({ consumer, eventId: event.envelope.id })
      .onConflictDoNothing()
      .returning({ eventId: inboxMessages.eventId });
    if (inserted.length === 0) return false;
    await handle(event, tx);
    return true;
  });
}

/** Resolves when the database answers; tells a broken message apart from a broken database. */
export async function databaseAnswers(db: InboxDatabase): Promise<boolean> {
  try {
    await db.execute(sql`select 1`);
    return true;
  } catch {
    return false;
  }
}
