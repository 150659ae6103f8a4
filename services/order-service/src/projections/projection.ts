import type { AnyEventType, StreamDefinition } from "@switchyard/events";
import type { EventHandler, InboxDatabase } from "@switchyard/inbox";

/** A read-side table set fed by one stream: what the live consumer and a rebuild both run. */
export interface Projection {
  /** The durable consumer's name, also its key in the inbox. */
  durableName: string;
  stream: StreamDefinition;
  eventTypes: readonly AnyEventType[];
  handle: EventHandler;
  /** Empties the projection's tables (DELETE, inside the rebuild's transaction). */
  reset(tx: InboxDatabase): Promise<void>;
}
