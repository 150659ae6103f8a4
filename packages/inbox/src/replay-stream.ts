import { DeliverPolicy, type JetStreamClient, type JetStreamManager } from "@nats-io/jetstream";
import {
  type AnyEventType,
  type EventNamespace,
  ensureStream,
  type StreamDefinition,
  streamNameFor,
} from "@switchyard/events";
import type { Logger } from "@switchyard/logging";
import { eq, sql } from "drizzle-orm";
import { applyOnce } from "./apply-once.js";
import { type EventHandler, eventTypesByName, type InboxDatabase } from "./consumed-event.js";
import { decodeEvent } from "./decode-event.js";
import { inboxMessages } from "./inbox-messages-table.js";
import { PoisonMessageError } from "./poison-message-error.js";

export interface ReplayStreamOptions {
  js: JetStreamClient;
  jsm: JetStreamManager;
  db: InboxDatabase;
  namespace: EventNamespace;
  stream: StreamDefinition;
  /** The live consumer whose effects are rebuilt: its inbox rows are replaced too. */
  durableName: string;
  eventTypes: readonly AnyEventType[];
  handle: EventHandler;
  /** Empties what `handle` writes (DELETE, not TRUNCATE, so readers keep the old rows until commit). */
  reset(tx: InboxDatabase): Promise<void>;
  /**
   * Runs in the replay's transaction after the last message, before the commit: for effects
   * the stream cannot rebuild (state that predates it), seen by readers with the rest.
   */
  finish?(tx: InboxDatabase, result: ReplayResult): Promise<void>;
  logger: Logger;
}

export interface ReplayResult {
  /** Events whose effect was applied. */
  applied: number;
  /** Events seen again under an id already applied (inbox dedup). */
  duplicates: number;
  /** Messages skipped because they can never be applied (they are in the dead-letter stream). */
  poison: number;
  /** The last stream sequence replayed. */
  lastSequence: number;
}

/**
 * Rebuilds one consumer's effects from the start of its stream, in ONE transaction: lock the
 * inbox (live consumers wait, readers do not), `reset` the projections, forget the consumer's
 * inbox rows, replay every message up to the stream's last sequence through the same
 * `applyOnce` + `handle` the live consumer uses, commit. Readers see the old tables until the
 * commit and the rebuilt ones after; the live durable consumer keeps its position and its next
 * events find their inbox rows (or, if newer than the replay, are applied as usual).
 */
export async function replayStream(options: ReplayStreamOptions): Promise<ReplayResult> {
  const { jsm, db, namespace, stream, durableName, logger } = options;
  const streamName = streamNameFor(stream, namespace);
  // A system whose producer never started has no stream yet: replaying it yields empty tables.
  await ensureStream(jsm, stream, namespace);

  return db.transaction(async (tx) => {
    // Taken first, as the live consumer's first statement is its inbox insert: it waits here
    // rather than deadlocking with us on the projection tables.
    await tx.execute(sql`lock table ${inboxMessages} in exclusive mode`);
    await options.reset(tx);
    await tx.delete(inboxMessages).where(eq(inboxMessages.consumer, durableName));

    // Read after the lock: every event a live consumer applied before it is at or below this.
    const { state } = await jsm.streams.info(streamName);
    const result: ReplayResult = { applied: 0, duplicates: 0, poison: 0, lastSequence: 0 };
    if (state.messages > 0) {
      await replayMessages(tx, { ...options, streamName, lastSequence: state.last_seq }, result);
    }
    await options.finish?.(tx, result);
    logger.info({ stream: streamName, consumer: durableName, ...result }, "stream replayed");
    return result;
  });
}

/** Applies messages 1..lastSequence of the stream through applyOnce, counting into `result`. */
async function replayMessages(
  tx: InboxDatabase,
  options: ReplayStreamOptions & { streamName: string; lastSequence: number },
  result: ReplayResult,
): Promise<void> {
  const { streamName, durableName, handle, logger } = options;
  const eventTypes = eventTypesByName(options.eventTypes);
  // An ordered consumer: ephemeral, from the first message, gap-free, gone when we close it.
  const consumer = await options.js.consumers.get(streamName, {
    deliver_policy: DeliverPolicy.All,
  });
  const messages = await consumer.consume();
  try {
    for await (const msg of messages) {
      result.lastSequence = msg.seq;
      try {
        const event = decodeEvent(msg, eventTypes);
        if (event !== undefined) {
          const applied = await applyOnce(tx, durableName, event, handle);
          if (applied) result.applied += 1;
          else result.duplicates += 1;
        }
      } catch (error) {
        if (!(error instanceof PoisonMessageError)) {
          throw new Error(
            `replay of ${streamName} failed at sequence ${msg.seq}: ${(error as Error).message}`,
            { cause: error },
          );
        }
        result.poison += 1;
        logger.warn({ sequence: msg.seq, err: error }, "skipping a poison message in replay");
      }
      if (msg.seq >= options.lastSequence) break;
    }
  } finally {
    await messages.close();
  }
}
