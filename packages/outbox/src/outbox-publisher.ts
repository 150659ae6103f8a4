import { jetstream, type PubAck } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/transport-node";
import {
  type EventNamespace,
  envelopeHeaders,
  namespacedSubject,
  pingNats,
  traceparentFromSpanContext,
} from "@switchyard/events";
import { createOutboxSendTelemetry } from "./outbox-telemetry.js";

/** What the publisher needs of an outbox row (both relay modes read these columns). */
export interface PublishableOutboxRow {
  eventId: string;
  subject: string;
  eventType: string;
  payload: Uint8Array;
  traceparent: string | null;
  occurTime: Date;
  /** When the row was written (its transaction's start): the outbox lag is measured from it. */
  createTime?: Date | undefined;
}

/** Publishes outbox rows to JetStream; shared by the polling and the CDC relay. */
export interface OutboxPublisher {
  /**
   * Publishes with `Nats-Msg-Id` = event id and resolves with the PubAck: the event is stored.
   * A republish inside the stream's duplicate window resolves with `duplicate: true`.
   */
  publish(row: PublishableOutboxRow): Promise<PubAck>;
  /** Whether the broker answers a round trip within a second right now. */
  brokerReachable(): Promise<boolean>;
  /** Changes whenever the NATS connection drops or comes back. */
  connectionGeneration(): number;
  /**
   * Whether publishes that failed since `generation` were caused by the broker itself: the
   * connection dropped in the meantime, or the server does not answer now. Such a failure is
   * an outage, not the row's fault, and must not count against the row's attempts.
   */
  brokerTrouble(generation: number): Promise<boolean>;
}

export interface OutboxPublisherOptions {
  nats: NatsConnection;
  namespace: EventNamespace;
  /** CloudEvents `ce-source`, e.g. `switchyard/order-service`. */
  source: string;
  /** How long to wait for a PubAck. Default 5000. */
  publishTimeoutMs?: number;
}

/**
 * Creates the JetStream publisher for outbox rows. Each publish is a PRODUCER span
 * "send <subject>" parented on the row's `traceparent`; the message carries the send span's
 * context as its `traceparent` header (the row's own value when no tracing is set up).
 */
export function createOutboxPublisher(options: OutboxPublisherOptions): OutboxPublisher {
  const js = jetstream(options.nats);
  const timeout = options.publishTimeoutMs ?? 5_000;
  const telemetry = createOutboxSendTelemetry();
  let generation = 0;
  void (async () => {
    for await (const status of options.nats.status()) {
      if (status.type === "disconnect" || status.type === "reconnect") generation++;
    }
  })();
  return {
    async publish(row) {
      const subject = namespacedSubject(row.subject, options.namespace);
      const send = telemetry.startSend(row, subject);
      const headers = envelopeHeaders({
        id: row.eventId,
        type: row.eventType,
        source: options.source,
        time: row.occurTime,
        traceparent:
          traceparentFromSpanContext(send.span.spanContext()) ?? row.traceparent ?? undefined,
        subject,
        body: row.payload,
      });
      try {
        const ack = await js.publish(subject, row.payload, {
          msgID: row.eventId,
          headers,
          timeout,
        });
        send.published(ack);
        return ack;
      } catch (error) {
        send.failed(error);
        throw error;
      }
    },
    async brokerReachable() {
      try {
        await pingNats(options.nats, 1_000);
        return true;
      } catch {
        return false;
      }
    },
    connectionGeneration: () => generation,
    async brokerTrouble(since) {
      if (generation !== since) return true;
      const reachable = await this.brokerReachable();
      return !reachable || generation !== since;
    },
  };
}
