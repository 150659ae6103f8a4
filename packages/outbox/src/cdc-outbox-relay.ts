import type { PubAck } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/transport-node";
import type { EventNamespace } from "@switchyard/events";
import type { Logger } from "@switchyard/logging";
import { LogicalReplicationService, type Pgoutput, PgoutputPlugin } from "pg-logical-replication";
import type postgres from "postgres";
import { createCdcCatchUpSweep } from "./cdc-catch-up-sweep.js";
import { formatLsn, parseLsn } from "./cdc-log-sequence-number.js";
import {
  type CdcReplicationNames,
  cdcReplicationNames,
  ensureCdcReplication,
  replicationSlotState,
} from "./cdc-replication-slot.js";
import {
  createOutboxPublisher,
  type OutboxPublisher,
  type PublishableOutboxRow,
} from "./outbox-publisher.js";
import { recordPublishFailure } from "./publish-failure.js";
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
  /** Delay before reconnecting after the replication connection failed. Default 1000. */
  reconnectDelayMs?: number;
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

const heartbeatPrefix = "switchyard-outbox-heartbeat";
const outboxTable = "outbox_messages";

/**
 * The change-data-capture outbox relay (OUTBOX_RELAY_MODE=cdc): reads inserts into
 * `outbox_messages` from Postgres logical replication (pgoutput) instead of polling, publishes
 * each with `Nats-Msg-Id` = event id, marks rows published after their PubAck, and only then
 * acknowledges (flushes) the commit LSN to the slot. A crash replays from the last acknowledged
 * commit; JetStream drops the republished events inside its duplicate window. One relay per
 * slot streams at a time: others stand by and take over when it goes (CDC is single-active;
 * the polling relay scales out).
 */
export function createCdcOutboxRelay(options: CdcOutboxRelayOptions): CdcOutboxRelay {
  const { sql, logger } = options;
  // Resolved by start() unless given: the slot name needs the current database's name.
  let names: CdcReplicationNames = options.replication ?? { publication: "", slot: "" };
  const retry: RetryPolicy = { ...cdcRetryPolicy, ...options.retry };
  const maxInFlight = options.maxInFlight ?? 1_000;
  const standbyRetryMs = options.standbyRetryMs ?? 2_000;
  const reconnectDelayMs = options.reconnectDelayMs ?? 1_000;
  const heartbeatIntervalMs = options.heartbeatIntervalMs ?? 30_000;
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

  let running = false;
  let starting: Promise<void> | undefined;
  let loop: Promise<void> | undefined;
  let current: ReplicationSession | undefined;
  const idle = interruptibleSleep();

  async function run(firstSlotCreated: boolean): Promise<void> {
    let slotCreated = firstSlotCreated;
    let standingBy = false;
    while (running) {
      try {
        if (slotCreated) {
          // Rows committed before the slot existed never reach the change stream.
          await sweep.runUntilEmpty({ minAgeMs: 0 });
        }
        if (!running) break;
        const session = new ReplicationSession();
        current = session;
        const outcome = await session.run();
        current = undefined;
        if (outcome === "slot-busy") {
          if (!standingBy) {
            logger.info(
              { slot: names.slot },
              "outbox CDC relay standing by: another relay holds the slot",
            );
            standingBy = true;
          }
          await idle.sleep(standbyRetryMs);
        } else {
          standingBy = false;
        }
        slotCreated = false;
      } catch (error) {
        current = undefined;
        if (!running) break;
        logger.error(
          { error: errorMessage(error), retryInMs: reconnectDelayMs },
          "outbox CDC relay: replication stopped; reconnecting",
        );
        await idle.sleep(reconnectDelayMs);
        if (!running) break;
        try {
          // The slot may have been dropped; recreating it needs a catch-up sweep.
          slotCreated = (await ensureCdcReplication(sql, names)).slotCreated;
        } catch (ensureError) {
          logger.error({ error: errorMessage(ensureError) }, "outbox CDC relay: set-up failed");
        }
      }
    }
  }

  /**
   * One replication connection. Changes arrive in commit order; each outbox insert is
   * published at once (up to maxInFlight awaiting PubAcks), and the acknowledged LSN only moves
   * past a commit when every event before it is stored in JetStream and marked published.
   */
  class ReplicationSession {
    private readonly service = new LogicalReplicationService(
      { connectionString: options.databaseUrl, application_name: names.slot },
      // Automatic acknowledgement would confirm changes before their PubAck; the library's
      // keepalive timer would do the same with the last received LSN. Both stay off.
      { acknowledge: { auto: false, timeoutSeconds: 0 }, flowControl: { enabled: true } },
    );
    private readonly pipeline: PipelineEntry[] = [];
    private inFlight = 0;
    private capacityWaiters: (() => void)[] = [];
    private confirmedLsn = 0n;
    private lastAckTime = Date.now();
    private flushing: Promise<void> | undefined;
    private flushRequested = false;
    private ended = false;
    private failure: ((error: unknown) => void) | undefined;
    private readonly sleeper = interruptibleSleep();
    private brokerDownSince: number | undefined;
    private walSenderPid: number | undefined;
    private stopRequested = false;

    async run(): Promise<"ended" | "slot-busy"> {
      const state = await replicationSlotState(sql, names.slot);
      if (!state) throw new Error(`replication slot ${names.slot} does not exist`);
      if (state.confirmedFlushLsn) this.confirmedLsn = parseLsn(state.confirmedFlushLsn);
      if (this.stopRequested) return "ended";
      const failed = new Promise<never>((_, reject) => {
        this.failure = reject;
      });
      failed.catch(() => {});
      this.service.on("error", (error: Error) => this.fail(error));
      this.service.on("data", (_lsn: string, message: Pgoutput.Message) => this.receive(message));
      this.service.on("heartbeat", (_lsn: string, _time: number, shouldRespond: boolean) => {
        if (shouldRespond) this.sendStatus();
      });
      this.service.on("start", () => {
        // stop() arrived while connecting.
        if (this.stopRequested) void this.service.stop();
        void replicationSlotState(sql, names.slot).then(
          (streaming) => {
            this.walSenderPid = streaming?.activePid ?? undefined;
          },
          () => {},
        );
        logger.info(
          {
            slot: names.slot,
            publication: names.publication,
            resumeLsn: formatLsn(this.confirmedLsn),
          },
          "outbox CDC relay streaming",
        );
      });
      const plugin = new PgoutputPlugin({
        protoVersion: 1,
        publicationNames: [names.publication],
        messages: true,
      });
      const timers = [
        // Also answers the server's keepalive while flow control pauses reading.
        setInterval(() => this.sendStatus(), 10_000),
        setInterval(() => void this.heartbeat(), Math.min(heartbeatIntervalMs, 10_000)),
        setInterval(() => void this.sweep(), sweepIntervalMs),
      ];
      try {
        // Resolves when the connection closes; "0/0" = resume at the slot's confirmed LSN.
        await Promise.race([this.service.subscribe(plugin, names.slot, "0/0"), failed]);
        return "ended";
      } catch (error) {
        if (errorCode(error) === objectInUse) return "slot-busy";
        throw error;
      } finally {
        for (const timer of timers) clearInterval(timer);
        this.ended = true;
        this.sleeper.interrupt();
        this.releaseCapacityWaiters();
        await this.service.destroy().catch(() => {});
        await this.awaitSlotRelease();
      }
    }

    // The server's walsender lets go of the slot a moment after the connection closes; until
    // then a successor (or dropCdcReplication) would find it busy.
    private async awaitSlotRelease(): Promise<void> {
      if (this.walSenderPid === undefined) return;
      const deadline = Date.now() + 5_000;
      while (Date.now() < deadline) {
        const state = await replicationSlotState(sql, names.slot).catch(() => undefined);
        if (state?.activePid !== this.walSenderPid) return;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    }

    /** Graceful end: no more changes, PubAcks in flight awaited (bounded), LSN acknowledged. */
    async stop(timeoutMs: number): Promise<void> {
      this.stopRequested = true;
      this.service.removeAllListeners("data");
      const deadline = Date.now() + timeoutMs;
      while (this.inFlight > 0 && Date.now() < deadline && !this.ended) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      this.requestFlush();
      await this.flushing?.catch(() => {});
      await this.service.stop().catch(() => {});
    }

    private fail(error: unknown): void {
      this.failure?.(error);
    }

    private async receive(message: Pgoutput.Message): Promise<void> {
      if (this.ended) return;
      if (message.tag === "insert" && message.relation.name === outboxTable) {
        await this.track(rowFromTuple(message.new));
      } else if (message.tag === "commit") {
        if (!message.commitEndLsn) throw new Error("pgoutput commit without an end LSN");
        this.pipeline.push({ kind: "commit", lsn: parseLsn(message.commitEndLsn) });
        this.requestFlush();
      }
    }

    private async track(row: PublishableOutboxRow): Promise<void> {
      const entry: EventEntry = { kind: "event", eventId: row.eventId, state: "pending" };
      this.pipeline.push(entry);
      this.inFlight++;
      void this.deliver(row, entry)
        .catch((error: unknown) => this.fail(error))
        .finally(() => {
          this.inFlight--;
          this.capacityWaiters.shift()?.();
          this.requestFlush();
        });
      // Flow control: the library stops reading the socket until this resolves.
      while (this.inFlight >= maxInFlight && !this.ended) {
        await new Promise<void>((resolve) => this.capacityWaiters.push(resolve));
      }
    }

    private releaseCapacityWaiters(): void {
      for (const release of this.capacityWaiters.splice(0)) release();
    }

    // Retries in place: the stream keeps flowing, only acknowledgements wait for this row.
    private async deliver(row: PublishableOutboxRow, entry: EventEntry): Promise<void> {
      while (!this.ended) {
        const generation = publisher.connectionGeneration();
        try {
          const ack = await publisher.publish(row);
          options.onPublished?.(row, ack);
          entry.state = "published";
          this.brokerBack();
          return;
        } catch (error) {
          if (this.ended) return;
          if (await publisher.brokerTrouble(generation)) {
            this.brokerDown();
            await this.sleeper.sleep(1_000);
            continue;
          }
          const outcome = await sql.begin((tx) =>
            recordPublishFailure(tx, row, error, retry, logger),
          );
          if (outcome.settled) {
            entry.state = "settled";
            return;
          }
          await this.sleeper.sleep(outcome.retryInMs);
        }
      }
    }

    private brokerDown(): void {
      if (this.brokerDownSince !== undefined) return;
      this.brokerDownSince = Date.now();
      logger.warn("outbox CDC relay: NATS unreachable; events wait in the WAL until it is back");
    }

    private brokerBack(): void {
      if (this.brokerDownSince === undefined) return;
      logger.info(
        { outageMs: Date.now() - this.brokerDownSince },
        "outbox CDC relay: NATS is back",
      );
      this.brokerDownSince = undefined;
    }

    // One flush at a time; a request during a flush runs another round. The loop's last check
    // and the reset of `flushing` happen in the same microtask, so no request is ever lost
    // (a lost one would leave the final rows unmarked and unacknowledged until the next commit).
    private requestFlush(): void {
      this.flushRequested = true;
      if (this.flushing) return;
      this.flushing = (async () => {
        try {
          while (this.flushRequested) {
            this.flushRequested = false;
            await this.flushSettledPrefix();
          }
        } catch (error) {
          this.fail(error);
        } finally {
          this.flushing = undefined;
        }
      })();
    }

    // Everything up to the last commit whose events are all settled is done: mark the
    // published rows, then let the slot forget those changes.
    private async flushSettledPrefix(): Promise<void> {
      let cut = -1;
      for (let index = 0; index < this.pipeline.length; index++) {
        const entry = this.pipeline[index] as PipelineEntry;
        if (entry.kind === "commit") cut = index;
        else if (entry.state === "pending") break;
      }
      if (cut < 0) return;
      const done = this.pipeline.slice(0, cut + 1);
      const publishedIds = done.flatMap((entry) =>
        entry.kind === "event" && entry.state === "published" ? [entry.eventId] : [],
      );
      await this.markPublished(publishedIds);
      if (this.ended) return;
      this.pipeline.splice(0, cut + 1);
      const last = done[done.length - 1] as CommitEntry;
      if (last.lsn > this.confirmedLsn) this.confirmedLsn = last.lsn;
      this.lastAckTime = Date.now();
      this.sendStatus();
    }

    // A commit reaches the WAL (and this stream) a moment before other sessions can see it,
    // so an UPDATE may miss a row just received: such rows are retried until visible. After
    // the deadline the row is left to the catch-up sweep (it republishes; JetStream dedups).
    private async markPublished(ids: string[]): Promise<void> {
      let remaining = ids;
      const deadline = Date.now() + 10_000;
      while (remaining.length > 0 && !this.ended) {
        const marked = new Set<string>();
        for (let start = 0; start < remaining.length; start += 5_000) {
          const chunk = remaining.slice(start, start + 5_000);
          // A dead-lettered row that a replay managed to publish is no longer dead.
          const rows = await sql<{ eventId: string }[]>`
            update outbox_messages
            set published_time = coalesce(published_time, now()), dead_letter_time = null
            where event_id = any(${sql.array(chunk)}::uuid[])
            returning event_id as "eventId"`;
          for (const row of rows) marked.add(row.eventId);
        }
        remaining = remaining.filter((id) => !marked.has(id));
        if (remaining.length === 0) return;
        if (Date.now() > deadline) {
          logger.warn(
            { eventIds: remaining.slice(0, 10), count: remaining.length },
            "outbox CDC relay: published rows not visible to mark; the catch-up sweep will",
          );
          return;
        }
        await this.sleeper.sleep(5);
      }
    }

    private sendStatus(): void {
      if (this.ended || this.confirmedLsn === 0n) return;
      // acknowledge(lsn) reports lsn + 1 as flushed; one less reports exactly the commit end,
      // as Postgres's own subscriber does (lsn + 1 could skip a commit starting right there).
      void this.service.acknowledge(formatLsn(this.confirmedLsn - 1n)).catch(() => {});
    }

    private async heartbeat(): Promise<void> {
      if (this.ended || this.pipeline.length > 0) return;
      if (Date.now() - this.lastAckTime < heartbeatIntervalMs) return;
      this.lastAckTime = Date.now();
      try {
        await sql`select pg_logical_emit_message(true, ${heartbeatPrefix}, '')`;
      } catch (error) {
        logger.warn({ error: errorMessage(error) }, "outbox CDC relay: heartbeat message failed");
      }
    }

    private sweeping = false;
    private async sweep(): Promise<void> {
      if (this.ended || this.sweeping) return;
      this.sweeping = true;
      try {
        await sweep.runUntilEmpty({ minAgeMs: 2 * sweepIntervalMs });
      } catch (error) {
        logger.warn({ error: errorMessage(error) }, "outbox CDC relay: catch-up sweep failed");
      } finally {
        this.sweeping = false;
      }
    }
  }

  return {
    start() {
      starting ??= (async () => {
        running = true;
        try {
          if (!options.replication) {
            const [row] = await sql<{ database: string }[]>`select current_database() as database`;
            names = cdcReplicationNames(options.service, row?.database ?? "");
          }
          const { slotCreated } = await ensureCdcReplication(sql, names);
          loop = run(slotCreated);
        } catch (error) {
          running = false;
          starting = undefined;
          throw error;
        }
      })();
      return starting;
    },
    async stop() {
      if (!running) return;
      running = false;
      idle.interrupt();
      await current?.stop(5_000);
      await loop;
      loop = undefined;
      starting = undefined;
    },
  };
}

type EventEntry = {
  kind: "event";
  eventId: string;
  /** settled: dead-lettered, or found published/dead-lettered by someone else. */
  state: "pending" | "published" | "settled";
};
type CommitEntry = { kind: "commit"; lsn: bigint };
type PipelineEntry = EventEntry | CommitEntry;

function rowFromTuple(tuple: Record<string, unknown>): PublishableOutboxRow {
  const { event_id, subject, event_type, payload, traceparent, occur_time } = tuple;
  if (
    typeof event_id !== "string" ||
    typeof subject !== "string" ||
    typeof event_type !== "string" ||
    !(payload instanceof Uint8Array) ||
    !(occur_time instanceof Date) ||
    !(traceparent === null || typeof traceparent === "string")
  ) {
    throw new Error(
      `outbox_messages row ${String(event_id)} from the change stream has unexpected column types`,
    );
  }
  return {
    eventId: event_id,
    subject,
    eventType: event_type,
    payload: new Uint8Array(payload.buffer, payload.byteOffset, payload.byteLength),
    traceparent,
    occurTime: occur_time,
  };
}

const objectInUse = "55006";

function errorCode(error: unknown): string | undefined {
  return (error as { code?: string } | undefined)?.code;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

function interruptibleSleep() {
  const pending = new Set<() => void>();
  return {
    sleep(ms: number): Promise<void> {
      return new Promise((resolve) => {
        const done = () => {
          clearTimeout(timer);
          pending.delete(done);
          resolve();
        };
        const timer = setTimeout(done, ms);
        pending.add(done);
      });
    },
    interrupt(): void {
      for (const done of [...pending]) done();
    },
  };
}
