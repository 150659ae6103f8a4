import type { PubAck } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/transport-node";
import type { EventNamespace } from "@switchyard/events";
import type { Logger } from "@switchyard/logging";
import type postgres from "postgres";
import { trackBrokerOutage } from "./broker-outage.js";
import { createCdcCatchUpSweep } from "./cdc-catch-up-sweep.js";
import { type CdcRelaySupervisor, superviseCdcSessions } from "./cdc-relay-supervisor.js";
import { createCdcReplicationSession } from "./cdc-replication-session.js";
import {
  type CdcReplicationNames,
  cdcReplicationNames,
  ensureCdcReplication,
} from "./cdc-replication-slot.js";
import {
  createOutboxPublisher,
  type OutboxPublisher,
  type PublishableOutboxRow,
} from "./outbox-publisher.js";
import type { RetryPolicy } from "./retry-backoff.js";

export * from "./cdc-replication-slot.js";

export interface CdcOutboxRelayOptions {
  /** The producing service's pool: slot and publication set-up, marking rows, the sweep. */
  sql: postgres.Sql;
  /**
   * URL of the same database for the replication connection. Its role needs the REPLICATION
   * attribute (and `wal_level=logical` on the server).
   */
  databaseUrl: string;
  nats: NatsConnection;
  namespace: EventNamespace;
  /** CloudEvents `ce-source`, e.g. `switchyard/order-service`. */
  source: string;
  /** Names the publication (`order_service_outbox`); the slot is named for the database. */
  service: string;
  /** Overrides the names from cdcReplicationNames(service, current database). */
  replication?: CdcReplicationNames;
  logger: Logger;
  /** Default: 10 attempts, 200 ms doubling to 5 s (see cdcRetryPolicy). */
  retry?: Partial<RetryPolicy>;
  /** PubAcks awaited at once before reading further changes. Default 1000. */
  maxInFlight?: number;
  /** Retry interval while another relay holds the slot. Default 2000. */
  standbyRetryMs?: number;
  /**
   * Delay before reconnecting after the replication connection failed; doubles with each
   * failure in a row, up to maxReconnectDelayMs. Default 1000.
   */
  reconnectDelayMs?: number;
  /** Upper bound of the reconnect delay. Default 30000. */
  maxReconnectDelayMs?: number;
  /**
   * With no outbox commit for this long, a logical message is written so the slot still
   * advances (else Postgres keeps all WAL the service writes meanwhile). Default 30000.
   */
  heartbeatIntervalMs?: number;
  /**
   * How often the active relay looks for pending rows the change stream cannot deliver (rows
   * committed before the slot existed, redriven dead letters) older than twice this. Default 5000.
   */
  sweepIntervalMs?: number;
  /** PubAck timeout. Default 5000. */
  publishTimeoutMs?: number;
  /** Called as each PubAck arrives (metrics, benchmarks). */
  onPublished?: (row: PublishableOutboxRow, ack: PubAck) => void;
}

export interface CdcOutboxRelay {
  /**
   * Checks `wal_level`, creates the publication and slot if missing (rejecting with an error
   * that says how to fix the server or the role), then streams in the background. Idempotent.
   */
  start(): Promise<void>;
  /** Stops reading, waits (bounded) for PubAcks in flight, acknowledges them, disconnects. */
  stop(): Promise<void>;
}

/**
 * CDC keeps commit order, so a failing row holds back every later acknowledgement; it is
 * retried quickly and dead-lettered after about 20 s of failures while NATS answers. Broker
 * outages never count against a row.
 */
export const cdcRetryPolicy: RetryPolicy = {
  maxAttempts: 10,
  baseDelayMs: 200,
  maxDelayMs: 5_000,
  jitter: 0.2,
};

/**
 * The change-data-capture outbox relay (OUTBOX_RELAY_MODE=cdc): reads inserts into
 * `outbox_messages` from Postgres logical replication (pgoutput) instead of polling, publishes
 * each with `Nats-Msg-Id` = event id, marks rows published after their PubAck, and only then
 * acknowledges (flushes) the commit LSN to the slot. A crash replays from the last acknowledged
 * commit; JetStream drops the republished events inside its duplicate window. One relay per
 * slot streams at a time: others stand by and take over when it goes (CDC is single-active;
 * the polling relay scales out).
 *
 * The parts: cdc-commit-pipeline.ts (what may be acknowledged, when: pure),
 * cdc-change-decoding.ts (pgoutput → rows and commit LSNs), cdc-replication-session.ts (one
 * connection), cdc-relay-supervisor.ts (restarts, backoff, standby), cdc-catch-up-sweep.ts.
 */
export function createCdcOutboxRelay(options: CdcOutboxRelayOptions): CdcOutboxRelay {
  const { sql, logger } = options;
  const retry: RetryPolicy = { ...cdcRetryPolicy, ...options.retry };
  const sweepIntervalMs = options.sweepIntervalMs ?? 5_000;
  const publisher: OutboxPublisher = createOutboxPublisher({
    nats: options.nats,
    namespace: options.namespace,
    source: options.source,
    ...(options.publishTimeoutMs === undefined
      ? {}
      : { publishTimeoutMs: options.publishTimeoutMs }),
  });
  const sweep = createCdcCatchUpSweep({
    sql,
    publisher,
    retry,
    logger,
    ...(options.onPublished ? { onPublished: options.onPublished } : {}),
  });
  const outage = trackBrokerOutage({
    logger,
    relay: "outbox CDC relay",
    meanwhile: "events wait in the WAL until it is back",
  });

  let starting: Promise<void> | undefined;
  let supervisor: CdcRelaySupervisor | undefined;

  async function resolveNames(): Promise<CdcReplicationNames> {
    if (options.replication) return options.replication;
    // The slot is named for the database, so the same service in two databases gets two.
    const [row] = await sql<{ database: string }[]>`select current_database() as database`;
    return cdcReplicationNames(options.service, row?.database ?? "");
  }

  return {
    start() {
      starting ??= (async () => {
        try {
          const names = await resolveNames();
          const { slotCreated } = await ensureCdcReplication(sql, names);
          supervisor = superviseCdcSessions({
            openSession: () =>
              createCdcReplicationSession({
                sql,
                databaseUrl: options.databaseUrl,
                names,
                publisher,
                sweep,
                retry,
                logger,
                outage,
                maxInFlight: options.maxInFlight ?? 1_000,
                heartbeatIntervalMs: options.heartbeatIntervalMs ?? 30_000,
                sweepIntervalMs,
                onPublished: options.onPublished,
              }),
            catchUp: async () => {
              await sweep.runUntilEmpty({ minAgeMs: 0 });
            },
            repairReplication: () => ensureCdcReplication(sql, names),
            slotCreated,
            slot: names.slot,
            standbyRetryMs: options.standbyRetryMs ?? 2_000,
            reconnectDelayMs: options.reconnectDelayMs ?? 1_000,
            maxReconnectDelayMs: options.maxReconnectDelayMs ?? 30_000,
            logger,
          });
        } catch (error) {
          starting = undefined;
          throw error;
        }
      })();
      return starting;
    },
    async stop() {
      await starting?.catch(() => {});
      await supervisor?.stop();
      supervisor = undefined;
      starting = undefined;
    },
  };
}
