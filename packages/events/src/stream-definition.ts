/**
 * A JetStream stream owned by one producing context, un-namespaced. `streamNameFor` and
 * `ensureStream` apply an `EventNamespace` so tests never collide.
 */
export interface StreamDefinition {
  name: string;
  subjects: string[];
  /** How long JetStream remembers a Nats-Msg-Id to drop a republished event. */
  duplicateWindowMs: number;
}

/**
 * The most copies JetStream keeps of a stream (its own limit). How many a deployment uses is
 * not part of the definition: `EVENTS_STREAM_REPLICAS`, passed to `ensureStream`.
 */
export const maxStreamReplicas = 5;

/**
 * Longer than the outbox relay's longest retry span: with its defaults (10 attempts, backoff
 * 1 s doubling, capped at 5 min, ±20 % jitter) a row is retried for at most ≈ 11 min before it
 * is dead-lettered, so any republish of an event the broker already stored (crash after the
 * PubAck, before the commit; a PubAck lost in an outage) arrives well inside 2 h and is
 * dropped by JetStream. Only a manual redrive later than that can produce a duplicate, which
 * consumers' inbox dedup absorbs.
 */
export const defaultDuplicateWindowMs = 2 * 60 * 60 * 1000;

/** user-service's integration events (`switchyard.user.v1.*`). */
export const userEventsStream: StreamDefinition = {
  name: "SWITCHYARD_USER_EVENTS",
  subjects: ["switchyard.user.v1.>"],
  duplicateWindowMs: defaultDuplicateWindowMs,
};

/** order-service's integration events (`switchyard.order.v1.*`). */
export const orderEventsStream: StreamDefinition = {
  name: "SWITCHYARD_ORDER_EVENTS",
  subjects: ["switchyard.order.v1.>"],
  duplicateWindowMs: defaultDuplicateWindowMs,
};
