import type { PubAck } from "@nats-io/jetstream";
import {
  type Attributes,
  type Counter,
  type Histogram,
  metrics,
  type Span,
  SpanKind,
  trace,
} from "@opentelemetry/api";
import { contextFromTraceparent, errorTypeOf, recordSpanFailure } from "@switchyard/events";
import type { PublishableOutboxRow } from "./outbox-publisher.js";

const instrumentationName = "@switchyard/outbox";

/** Lag buckets (s): a NOTIFY-woken relay publishes in ms; an outage can hold rows for minutes. */
const lagBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];
const durationBuckets = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** The attributes of the OpenTelemetry messaging conventions a send names its destination by. */
function destinationAttributes(subject: string): Attributes {
  return {
    "messaging.system": "nats",
    "messaging.destination.name": subject,
    "messaging.operation.name": "send",
    "messaging.operation.type": "send",
  };
}

/**
 * The relay's side of the async hop: a PRODUCER span "send <subject>" per published row, whose
 * parent is the row's `traceparent` (the transaction that wrote it, so the send lands in the
 * request's trace), and the send metrics. The meter is taken when the relay's publisher is
 * created: register the MeterProvider first.
 */
export interface OutboxSendTelemetry {
  /** Starts the send span of `row`, published on `subject` (namespaced). */
  startSend(row: PublishableOutboxRow, subject: string): OutboxSend;
}

export interface OutboxSend {
  /** The span whose context goes into the message's `traceparent` header. */
  readonly span: Span;
  published(ack: PubAck): void;
  failed(error: unknown): void;
}

export function createOutboxSendTelemetry(): OutboxSendTelemetry {
  const tracer = trace.getTracer(instrumentationName);
  const meter = metrics.getMeter(instrumentationName);
  const duration: Histogram = meter.createHistogram("messaging.client.operation.duration", {
    description: "Duration of publishing one outbox row to JetStream, until its PubAck.",
    unit: "s",
    advice: { explicitBucketBoundaries: durationBuckets },
  });
  const sent: Counter = meter.createCounter("messaging.client.sent.messages", {
    description: "Outbox rows the relay published (or tried to: error.type says why not).",
    unit: "{message}",
  });
  const lag: Histogram = meter.createHistogram("switchyard.outbox.lag", {
    description:
      "Outbox lag: from the row's creation in the producing transaction (create_time, the transaction's start) to its PubAck.",
    unit: "s",
    advice: { explicitBucketBoundaries: lagBuckets },
  });

  return {
    startSend(row, subject) {
      const attributes = destinationAttributes(subject);
      const span = tracer.startSpan(
        `send ${subject}`,
        {
          kind: SpanKind.PRODUCER,
          attributes: {
            ...attributes,
            "messaging.message.id": row.eventId,
            "messaging.message.body.size": row.payload.byteLength,
            "cloudevents.event_id": row.eventId,
            "cloudevents.event_type": row.eventType,
          },
        },
        contextFromTraceparent(row.traceparent),
      );
      const started = performance.now();
      const measure = (outcome: Attributes) => {
        duration.record((performance.now() - started) / 1_000, { ...attributes, ...outcome });
        sent.add(1, { ...attributes, ...outcome });
      };
      return {
        span,
        published(ack) {
          measure({});
          span.setAttributes({
            "switchyard.jetstream.stream": ack.stream,
            "switchyard.jetstream.sequence": ack.seq,
            "switchyard.jetstream.duplicate": ack.duplicate,
          });
          // A duplicate was stored by an earlier publish, whose lag was recorded then.
          if (!ack.duplicate && row.createTime !== undefined) {
            lag.record(Math.max(0, Date.now() - row.createTime.getTime()) / 1_000, {
              "messaging.destination.name": subject,
            });
          }
          span.end();
        },
        failed(error) {
          measure({ "error.type": errorTypeOf(error) });
          recordSpanFailure(span, error);
          span.end();
        },
      };
    },
  };
}

/** Counts a row the relay dead-lettered (both relay modes dead-letter in recordPublishFailure). */
export function countOutboxDeadLetter(eventType: string): void {
  metrics
    .getMeter(instrumentationName)
    .createCounter("switchyard.outbox.dead_lettered", {
      description: "Outbox rows dead-lettered after their last publish attempt failed.",
      unit: "{message}",
    })
    .add(1, { "cloudevents.event_type": eventType });
}
