import type { AnyEventType, StreamDefinition } from "@switchyard/events";
import type { ConsumedEvent, EventHandler, InboxDatabase } from "@switchyard/inbox";

/** A read-side table set fed by one stream: what the live consumer and a rebuild both run. */
export interface Projection {
  /** The durable consumer's name, also its key in the inbox. */
  durableName: string;
  stream: StreamDefinition;
  eventTypes: readonly AnyEventType[];
  handle: EventHandler;
  /** Empties the projection's tables (DELETE, inside the rebuild's transaction). */
  reset(tx: InboxDatabase): Promise<void>;
  /**
   * What a rebuild adds for state the stream does not hold (e.g. orders placed before the
   * projection existed): a fresh one per rebuild.
   */
  backfill?(): ProjectionBackfill;
}

/** The rebuild's extra step, in the rebuild's transaction. */
export interface ProjectionBackfill {
  /** Called after the replay applied `event` (not for duplicates or poison messages). */
  applied(event: ConsumedEvent): void;
  /** Called after the last replayed message, before the commit; returns how many items it added. */
  finish(tx: InboxDatabase): Promise<number>;
}
