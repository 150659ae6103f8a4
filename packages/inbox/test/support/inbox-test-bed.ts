import { randomUUID } from "node:crypto";
import {
  type JetStreamClient,
  type JetStreamManager,
  jetstream,
  jetstreamManager,
} from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/transport-node";
import { connectDatabase, type Database } from "@switchyard/database";
import {
  connectNats,
  type EventNamespace,
  envelopeHeaders,
  subjectFor,
  userRegistered,
} from "@switchyard/events";
import { createLogger } from "@switchyard/logging";
import { createTestDatabase, createTestNats } from "@switchyard/testing";
import { sql } from "drizzle-orm";
import type { EventHandler } from "../../src/consumed-event.js";
import { inboxMessagesDdl } from "../../src/inbox-messages-table.js";

/** Real Postgres (fresh database with the inbox and an effects table) and real NATS (own prefix). */
export interface InboxTestBed {
  database: Database;
  /** The test database's connection URL. */
  url: string;
  nats: NatsConnection;
  js: JetStreamClient;
  jsm: JetStreamManager;
  namespace: EventNamespace;
  logger: ReturnType<typeof createLogger>;
  /** A handler that records one `effects` row per applied event (no unique constraint: a second apply shows). */
  recordEffect: EventHandler;
  effects(): Promise<{ eventId: string; userId: string }[]>;
  inboxRows(consumer: string): Promise<number>;
  /** Publishes a UserRegistered with the given ids; `natsMsgId` overrides the dedup id. */
  publishUserRegistered(options?: {
    eventId?: string;
    userId?: string;
    natsMsgId?: string;
  }): Promise<{ eventId: string; userId: string }>;
  close(): Promise<void>;
}

export async function createInboxTestBed(): Promise<InboxTestBed> {
  const testDatabase = await createTestDatabase({ prefix: "inbox" });
  const database = connectDatabase({ url: testDatabase.url, max: 5 });
  await database.sql.unsafe(inboxMessagesDdl);
  await database.sql`create table effects (event_id uuid not null, user_id text not null, seq serial)`;
  const testNats = await createTestNats();
  const nats = await connectNats({ url: testNats.url, name: "inbox-test" });
  const namespace = { prefix: testNats.prefix };
  const js = jetstream(nats);
  const jsm = await jetstreamManager(nats);

  return {
    database,
    url: testDatabase.url,
    nats,
    js,
    jsm,
    namespace,
    logger: createLogger({ service: "inbox-test", level: process.env.LOG_LEVEL ?? "silent" }),
    async recordEffect(event, tx) {
      const message = event.message as { userId: string };
      await tx.execute(
        sql`insert into effects (event_id, user_id) values (${event.envelope.id}, ${message.userId})`,
      );
    },
    async effects() {
      return database.sql<{ eventId: string; userId: string }[]>`
        select event_id as "eventId", user_id as "userId" from effects order by seq`;
    },
    async inboxRows(consumer) {
      const [row] = await database.sql<{ count: number }[]>`
        select count(*)::int as count from inbox_messages where consumer = ${consumer}`;
      return row?.count ?? 0;
    },
    async publishUserRegistered(options = {}) {
      const eventId = options.eventId ?? randomUUID();
      const userId = options.userId ?? randomUUID();
      const body = userRegistered.codec
        .encode({
          eventId,
          occurTime: { seconds: 1_700_000_000n, nanos: 0 },
          userId,
          userVersion: 1n,
          email: `${userId}@example.test`,
          givenName: "Ada",
          familyName: "Lovelace",
        })
        .finish();
      const hdrs = envelopeHeaders({
        id: eventId,
        type: userRegistered.typeName,
        source: "switchyard/user-service",
        time: new Date(),
        traceparent: undefined,
        subject: subjectFor(userRegistered, namespace),
        body,
      });
      const msgID = options.natsMsgId ?? eventId;
      hdrs.set("Nats-Msg-Id", msgID);
      await js.publish(subjectFor(userRegistered, namespace), body, { headers: hdrs, msgID });
      return { eventId, userId };
    },
    async close() {
      await nats.close();
      await testNats.close();
      await database.close();
      await testDatabase.drop();
    },
  };
}

/** Polls `probe` until it stops throwing (an expect inside), for at most `timeoutMs`. */
export async function eventually(probe: () => Promise<void>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await probe();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}
