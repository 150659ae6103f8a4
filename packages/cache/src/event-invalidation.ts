import type { NatsConnection, Subscription } from "@nats-io/transport-node";
import { type EventNamespace, type EventType, subjectFor } from "@switchyard/events";
import type { TieredCache } from "./tiered-cache.js";

/** One domain event that makes a cached key out of date: which key, at which version. */
export interface InvalidatingEvent<T> {
  type: EventType<T>;
  /** The cache key the event is about (e.g. the user id). */
  keyOf(message: T): string;
  /** The version the change produced, when the event carries one. */
  versionOf?(message: T): bigint;
}

/** Builds an `InvalidatingEvent` with the event's message type inferred. */
export function invalidatedBy<T>(invalidation: InvalidatingEvent<T>): InvalidatingEvent<T> {
  return invalidation;
}

/**
 * The same invalidation for several event types whose messages share the fields it reads
 * (e.g. every user event carries `userId` and `userVersion`).
 */
export function invalidatedByAll<M>(
  types: readonly EventType<M>[],
  keyOf: (message: M) => string,
  versionOf?: (message: M) => bigint,
): InvalidatingEvent<M>[] {
  return types.map((type) => ({ type, keyOf, ...(versionOf === undefined ? {} : { versionOf }) }));
}

export interface EventInvalidation {
  /** Unsubscribes (before the service drains NATS). */
  stop(): Promise<void>;
}

/**
 * Keeps a cache in step with domain events on THIS replica: a plain (core) NATS subscription
 * per event subject — every replica gets every event, unlike a durable consumer, which hands
 * each event to one of them. Each event deletes its key from L1 and L2 (raising the version
 * floor), so a value loaded before the change cannot come back from either tier.
 *
 * What a core subscription can miss: events published while this replica is disconnected
 * from NATS. So after every reconnect the whole L1 is dropped; anything missed beyond that is
 * bounded by the TTLs (`stalenessBoundMs`).
 */
export function invalidateOnEvents(options: {
  nats: NatsConnection;
  namespace: EventNamespace;
  cache: TieredCache<unknown>;
  // biome-ignore lint/suspicious/noExplicitAny: a list of invalidations of different event types.
  events: readonly InvalidatingEvent<any>[];
  /**
   * "key" (default): an event's `keyOf` names one key. "group": it names a group of keys
   * (`groupOf` of the cache), all invalidated (`invalidateGroup`).
   */
  target?: "key" | "group";
  /** Told about an event that cannot be decoded (it is skipped). */
  onError?(error: unknown, subject: string): void;
}): EventInvalidation {
  const { nats, cache } = options;
  const subscriptions: Subscription[] = options.events.map((invalidation) =>
    nats.subscribe(subjectFor(invalidation.type, options.namespace), {
      callback: (error, message) => {
        if (error !== null) return;
        try {
          const event = invalidation.type.codec.decode(message.data);
          const key = invalidation.keyOf(event);
          const version = invalidation.versionOf?.(event);
          if (options.target === "group" && cache.invalidateGroup !== undefined) {
            void cache.invalidateGroup(key, version);
          } else void cache.invalidate(key, version);
        } catch (decodeError) {
          options.onError?.(decodeError, message.subject);
        }
      },
    }),
  );
  let watching = true;
  const statuses = nats.status();
  const watchReconnects = (async () => {
    for await (const status of statuses) {
      if (!watching) break;
      if (status.type === "reconnect") cache.clearLocal();
    }
  })();
  return {
    async stop() {
      watching = false;
      for (const subscription of subscriptions) subscription.unsubscribe();
      // biome-ignore lint/suspicious/noExplicitAny: the status iterator's stop() is not typed on AsyncIterable.
      (statuses as any).stop?.();
      await Promise.race([watchReconnects, new Promise((resolve) => setTimeout(resolve, 100))]);
    },
  };
}
