import {
  AckPolicy,
  type ConsumerConfig,
  DeliverPolicy,
  JetStreamApiCodes,
  JetStreamApiError,
  type JetStreamClient,
  type JetStreamManager,
  type JsMsg,
} from "@nats-io/jetstream";
import { nanos } from "@nats-io/transport-node";
import { context } from "@opentelemetry/api";
import {
  type AnyEventType,
  type EventNamespace,
  ensureStream,
  type StreamDefinition,
  streamNameFor,
} from "@switchyard/events";
import { type Logger, runWithRequestContext } from "@switchyard/logging";
import { applyOnce, databaseAnswers } from "./apply-once.js";
import { type EventHandler, eventTypesByName, type InboxDatabase } from "./consumed-event.js";
import { createConsumerTelemetry, type ProcessOutcome } from "./consumer-telemetry.js";
import { ensureDeadLetterStream, publishDeadLetter } from "./dead-letter-stream.js";
import { decodeEvent } from "./decode-event.js";
import { PoisonMessageError } from "./poison-message-error.js";
import { defaultRetryDelayMs } from "./retry-delay.js";
import { isTransientDatabaseFailure } from "./transient-failure.js";

export interface StartConsumerOptions {
  js: JetStreamClient;
  jsm: JetStreamManager;
  /** The consuming service's database: inbox rows and effects are written here. */
  db: InboxDatabase;
  namespace: EventNamespace;
  stream: StreamDefinition;
  /** The JetStream durable consumer name, also the inbox's `consumer` column. */
  durableName: string;
  /** The event types this consumer handles; valid events of other types are acknowledged and skipped. */
  eventTypes: readonly AnyEventType[];
  handle: EventHandler;
  /** Deliveries before a failing message goes to the dead-letter stream (default 5). */
  maxDeliver?: number;
  /** Delay before redelivery after `deliveryCount` failures (default 250 ms doubling, max 30 s). */
  retryDelayMs?: (deliveryCount: number) => number;
  /** How long a delivered message may stay unacknowledged before JetStream redelivers it (default 30 s). */
  ackWaitMs?: number;
  /** Copies of the stream and its dead-letter stream when this consumer creates them (EVENTS_STREAM_REPLICAS). */
  streamReplicas?: number;
  logger: Logger;
}

export interface RunningConsumer {
  readonly durableName: string;
  /**
   * Resolves once every message in the stream has been delivered and acknowledged (nothing
   * pending, nothing awaiting an ack); rejects after `timeoutMs` (default 10 s).
   */
  waitUntilCaughtUp(options?: { timeoutMs?: number }): Promise<void>;
  /** Stops pulling, finishes the message in hand, hands buffered ones back at once (NAK). */
  stop(): Promise<void>;
}

const durablePattern = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * Starts a durable JetStream consumer that applies each event exactly once in effect: per
 * message, ONE transaction inserts `(durableName, ce-id)` into the inbox (ON CONFLICT DO
 * NOTHING — a duplicate skips the handler) and runs `handle`; the message is acknowledged after
 * the commit. A failure rolls back and NAKs with backoff; at `maxDeliver` the message is copied
 * to `<stream>_DLQ` with its headers and the error, then TERMinated. Messages that can never
 * succeed (invalid envelope, undecodable body) are dead-lettered at once. Creates the stream,
 * its dead-letter stream and the consumer if they do not exist yet.
 *
 * Each delivery is a CONSUMER span "process <subject>" parented on (and linked to) the
 * message's `traceparent`; the handler runs in it (consumer-telemetry.ts has the metrics).
 */
export async function startConsumer(options: StartConsumerOptions): Promise<RunningConsumer> {
  const { js, jsm, db, namespace, stream, durableName, handle, logger } = options;
  if (!durablePattern.test(durableName)) {
    throw new Error(
      `durable name ${JSON.stringify(durableName)} must be 1-64 characters A-Z, a-z, 0-9, _ or -`,
    );
  }
  const maxDeliver = options.maxDeliver ?? 5;
  if (!Number.isInteger(maxDeliver) || maxDeliver < 1) {
    throw new Error(`maxDeliver must be a positive integer, got ${maxDeliver}`);
  }
  const retryDelayMs = options.retryDelayMs ?? defaultRetryDelayMs;
  const eventTypes = eventTypesByName(options.eventTypes);
  for (const type of eventTypes.values()) {
    if (type.stream.name !== stream.name) {
      throw new Error(`${type.typeName} is published on ${type.stream.name}, not ${stream.name}`);
    }
  }
  const streamName = streamNameFor(stream, namespace);
  const log = logger.child({ consumer: durableName, stream: streamName });

  const replicas = options.streamReplicas === undefined ? {} : { replicas: options.streamReplicas };
  await ensureStream(jsm, stream, namespace, replicas);
  await ensureDeadLetterStream(jsm, stream, namespace, replicas);
  await ensureDurableConsumer(jsm, streamName, {
    durable_name: durableName,
    ack_policy: AckPolicy.Explicit,
    deliver_policy: DeliverPolicy.All,
    ack_wait: nanos(options.ackWaitMs ?? 30_000),
    // Unlimited on the server: we count deliveries ourselves and dead-letter at maxDeliver. A
    // server-side limit would silently park a message whose last delivery hit a crash.
    max_deliver: -1,
  });

  const telemetry = createConsumerTelemetry({ jsm, streamName, durableName });

  type Processed = { outcome: ProcessOutcome; error?: unknown };

  async function deadLetter(msg: JsMsg, error: unknown): Promise<Processed> {
    try {
      await publishDeadLetter(js, { stream, ns: namespace, consumer: durableName, msg, error });
      msg.term();
      telemetry.countDeadLetter(msg);
      log.error(
        { err: error, sequence: msg.info.streamSequence, deliveryCount: msg.info.deliveryCount },
        "message dead-lettered",
      );
      return { outcome: "dead_lettered", error };
    } catch (publishError) {
      log.error({ err: publishError }, "could not dead-letter a message; retrying it later");
      msg.nak(retryDelayMs(msg.info.deliveryCount));
      return { outcome: "retry", error };
    }
  }

  /** One delivery, inside its process span: the handler's database spans become its children. */
  async function processMessage(msg: JsMsg): Promise<void> {
    const processing = telemetry.startProcessing(msg);
    await context.with(processing.context, async () => {
      let processed: Processed;
      try {
        processed = await processDelivery(msg);
      } catch (error) {
        processing.end("retry", error);
        throw error;
      }
      processing.end(processed.outcome, processed.error);
    });
  }

  async function processDelivery(msg: JsMsg): Promise<Processed> {
    const { deliveryCount } = msg.info;
    let event: ReturnType<typeof decodeEvent>;
    try {
      event = decodeEvent(msg, eventTypes);
    } catch (error) {
      if (error instanceof PoisonMessageError) return deadLetter(msg, error);
      throw error;
    }
    if (event === undefined) {
      log.debug({ subject: msg.subject }, "skipping an event type this consumer does not handle");
      msg.ack();
      return { outcome: "skipped" };
    }
    const consumed = event;
    try {
      const applied = await runWithRequestContext({ requestId: consumed.envelope.id }, () =>
        applyOnce(db, durableName, consumed, handle),
      );
      msg.ack();
      log.debug(
        { eventId: consumed.envelope.id, type: consumed.envelope.type, applied },
        applied ? "event applied" : "duplicate event skipped",
      );
      return { outcome: applied ? "applied" : "duplicate" };
    } catch (error) {
      // A database outage is not the message's fault: keep retrying instead of dead-lettering.
      if (
        deliveryCount >= maxDeliver &&
        !isTransientDatabaseFailure(error) &&
        (await databaseAnswers(db))
      ) {
        return deadLetter(msg, error);
      }
      const delayMs = retryDelayMs(deliveryCount);
      log.warn(
        { err: error, eventId: consumed.envelope.id, deliveryCount, delayMs },
        "event handler failed; redelivering later",
      );
      msg.nak(delayMs);
      return { outcome: "retry", error };
    }
  }

  const consumer = await js.consumers.get(streamName, durableName);
  // A short pull expiry: when the consumer's leader node is lost, the next pull goes to the new
  // leader within 5 s instead of the client's default 30 s (seen in the nats-node-loss drill).
  const messages = await consumer.consume({ max_messages: 100, expires: 5_000 });
  let stopping = false;
  const loop = (async () => {
    for await (const msg of messages) {
      if (stopping) {
        msg.nak();
        continue;
      }
      try {
        await processMessage(msg);
      } catch (error) {
        log.error({ err: error }, "unexpected error while consuming; redelivering later");
        msg.nak(retryDelayMs(msg.info.deliveryCount));
      }
    }
  })();
  log.info("consumer started");

  return {
    durableName,
    async waitUntilCaughtUp({ timeoutMs = 10_000 } = {}) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const info = await jsm.consumers.info(streamName, durableName);
        if (info.num_pending === 0 && info.num_ack_pending === 0) return;
        if (Date.now() > deadline) {
          throw new Error(
            `consumer ${durableName} on ${streamName} not caught up after ${timeoutMs} ms: ${info.num_pending} pending, ${info.num_ack_pending} awaiting ack`,
          );
        }
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    },
    async stop() {
      if (stopping) return;
      stopping = true;
      await messages.close();
      await loop;
      telemetry.stop();
      log.info("consumer stopped");
    },
  };
}

/** Adds the durable consumer, or updates the settings that may change on an existing one. */
async function ensureDurableConsumer(
  jsm: JetStreamManager,
  streamName: string,
  config: Partial<ConsumerConfig> & { durable_name: string },
): Promise<void> {
  try {
    const existing = await jsm.consumers.info(streamName, config.durable_name);
    if (existing.config.ack_wait !== config.ack_wait || existing.config.max_deliver !== -1) {
      await jsm.consumers.update(streamName, config.durable_name, {
        ack_wait: config.ack_wait,
        max_deliver: -1,
      });
    }
  } catch (error) {
    if (
      !(error instanceof JetStreamApiError && error.code === JetStreamApiCodes.ConsumerNotFound)
    ) {
      throw error;
    }
    await jsm.consumers.add(streamName, config);
  }
}
