import type { JetStreamManager, JsMsg } from "@nats-io/jetstream";
import {
  type Attributes,
  type BatchObservableResult,
  type Context,
  context,
  metrics,
  type Span,
  SpanKind,
  trace,
} from "@opentelemetry/api";
import { errorTypeOf, recordSpanFailure, spanContextFromTraceparent } from "@switchyard/events";

const instrumentationName = "@switchyard/inbox";
const durationBuckets = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** How the processing of one delivery ended (span attribute `switchyard.consumer.outcome`). */
export type ProcessOutcome = "applied" | "duplicate" | "skipped" | "retry" | "dead_lettered";

/** One delivery being processed: its CONSUMER span and the context the handler runs in. */
export interface MessageProcessing {
  readonly span: Span;
  /** The span's context: run the handler in it, so its database spans are children. */
  readonly context: Context;
  /** Ends the span and records the metrics; `error` marks a failed delivery. */
  end(outcome: ProcessOutcome, error?: unknown): void;
}

/**
 * The consumer's side of the async hop, per OpenTelemetry messaging conventions: a CONSUMER
 * span "process <subject>" per delivery, PARENTED on the message's `traceparent` (single-message
 * handler: the send span of the relay, so the request, the send and the processing form one
 * trace) and LINKED to it as well (what tools that expect links look for); plus the consumer's
 * metrics. The meter is taken when the consumer starts: register the MeterProvider first.
 */
export interface ConsumerTelemetry {
  startProcessing(msg: JsMsg): MessageProcessing;
  countDeadLetter(msg: JsMsg): void;
  /** Stops reporting the consumer's lag (the consumer stopped). */
  stop(): void;
}

export function createConsumerTelemetry(options: {
  jsm: JetStreamManager;
  streamName: string;
  durableName: string;
}): ConsumerTelemetry {
  const tracer = trace.getTracer(instrumentationName);
  const meter = metrics.getMeter(instrumentationName);
  const consumerAttributes: Attributes = {
    "messaging.system": "nats",
    "messaging.consumer.group.name": options.durableName,
    "switchyard.jetstream.stream": options.streamName,
  };
  const duration = meter.createHistogram("messaging.process.duration", {
    description:
      "Duration of processing one delivered message (inbox insert, handler, commit, ack).",
    unit: "s",
    advice: { explicitBucketBoundaries: durationBuckets },
  });
  const consumed = meter.createCounter("messaging.client.consumed.messages", {
    description: "Messages delivered to the consumer (redeliveries included).",
    unit: "{message}",
  });
  const redeliveries = meter.createCounter("switchyard.consumer.redeliveries", {
    description:
      "Deliveries of a message that had been delivered before (JetStream delivery count > 1).",
    unit: "{message}",
  });
  const deadLettered = meter.createCounter("switchyard.consumer.dead_lettered", {
    description: "Messages the consumer copied to its dead-letter stream and terminated.",
    unit: "{message}",
  });
  const pending = meter.createObservableGauge("switchyard.consumer.lag", {
    description: "Messages in the stream not yet delivered to the durable consumer (num_pending).",
    unit: "{message}",
  });
  const ackPending = meter.createObservableGauge("switchyard.consumer.ack_pending", {
    description: "Messages delivered to the durable consumer and not yet acknowledged.",
    unit: "{message}",
  });
  const observe = async (result: BatchObservableResult) => {
    try {
      const info = await options.jsm.consumers.info(options.streamName, options.durableName);
      result.observe(pending, info.num_pending, consumerAttributes);
      result.observe(ackPending, info.num_ack_pending, consumerAttributes);
    } catch {
      // NATS unreachable: report nothing rather than a stale number.
    }
  };
  const observables = [pending, ackPending];
  meter.addBatchObservableCallback(observe, observables);

  return {
    startProcessing(msg) {
      const attributes: Attributes = {
        ...consumerAttributes,
        "messaging.destination.name": msg.subject,
        "messaging.operation.name": "process",
        "messaging.operation.type": "process",
      };
      const { deliveryCount, streamSequence } = msg.info;
      const messageId = msg.headers?.get("ce-id") || undefined;
      const sender = spanContextFromTraceparent(msg.headers?.get("traceparent"));
      const parent = sender ? trace.setSpanContext(context.active(), sender) : context.active();
      const span = tracer.startSpan(
        `process ${msg.subject}`,
        {
          kind: SpanKind.CONSUMER,
          attributes: {
            ...attributes,
            ...(messageId === undefined ? {} : { "messaging.message.id": messageId }),
            "messaging.message.body.size": msg.data.byteLength,
            "switchyard.jetstream.delivery_count": deliveryCount,
            "switchyard.jetstream.stream_sequence": streamSequence,
          },
          links: sender ? [{ context: sender }] : [],
        },
        parent,
      );
      consumed.add(1, attributes);
      if (deliveryCount > 1) redeliveries.add(1, attributes);
      const started = performance.now();
      return {
        span,
        context: trace.setSpan(parent, span),
        end(outcome, error) {
          duration.record((performance.now() - started) / 1_000, {
            ...attributes,
            ...(error === undefined ? {} : { "error.type": errorTypeOf(error) }),
          });
          span.setAttribute("switchyard.consumer.outcome", outcome);
          if (error !== undefined) recordSpanFailure(span, error);
          span.end();
        },
      };
    },
    countDeadLetter(msg) {
      deadLettered.add(1, { ...consumerAttributes, "messaging.destination.name": msg.subject });
    },
    stop() {
      meter.removeBatchObservableCallback(observe, observables);
    },
  };
}
