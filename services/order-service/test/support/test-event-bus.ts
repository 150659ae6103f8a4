import { randomUUID } from "node:crypto";
import {
  type JetStreamClient,
  type JetStreamManager,
  jetstream,
  jetstreamManager,
} from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/transport-node";
import {
  connectNats,
  type EventNamespace,
  type EventType,
  ensureStream,
  envelopeHeaders,
  subjectFor,
} from "@switchyard/events";
import { createTestNats } from "@switchyard/testing";

/** Real NATS JetStream under a namespace of its own, and a way to publish events as a producer would. */
export interface TestEventBus {
  url: string;
  nats: NatsConnection;
  js: JetStreamClient;
  jsm: JetStreamManager;
  namespace: EventNamespace;
  /**
   * Publishes one event with the CloudEvents envelope (ce-id = message.eventId). Nats-Msg-Id is
   * the ce-id too, unless `natsMsgId` gives another: a copy JetStream will not drop.
   */
  publish<T>(
    type: EventType<T>,
    message: T,
    options?: { source?: string; natsMsgId?: string },
  ): Promise<void>;
  close(): Promise<void>;
}

export async function createTestEventBus(): Promise<TestEventBus> {
  const testNats = await createTestNats();
  const nats = await connectNats({ url: testNats.url, name: "order-service-test" });
  const namespace = { prefix: testNats.prefix };
  const js = jetstream(nats);
  const jsm = await jetstreamManager(nats);
  return {
    url: testNats.url,
    nats,
    js,
    jsm,
    namespace,
    async publish(type, message, options = {}) {
      await ensureStream(jsm, type.stream, namespace);
      const body = type.codec.encode(message).finish();
      const subject = subjectFor(type, namespace);
      const id = (message as { eventId?: string }).eventId || randomUUID();
      const headers = envelopeHeaders({
        id,
        type: type.typeName,
        source: options.source ?? "switchyard/test",
        time: new Date(),
        traceparent: undefined,
        subject,
        body,
      });
      const msgID = options.natsMsgId ?? id;
      headers.set("Nats-Msg-Id", msgID);
      await js.publish(subject, body, { headers, msgID });
    },
    async close() {
      await nats.close();
      await testNats.close();
    },
  };
}
