import type { PubAck } from "@nats-io/jetstream";
import type { Logger } from "@switchyard/logging";
import { LogicalReplicationService, type Pgoutput, PgoutputPlugin } from "pg-logical-replication";
import type postgres from "postgres";
import type { BrokerOutage } from "./broker-outage.js";
import type { createCdcCatchUpSweep } from "./cdc-catch-up-sweep.js";
import { decodeOutboxChange } from "./cdc-change-decoding.js";
import { CdcCommitPipeline } from "./cdc-commit-pipeline.js";
import { deliverCdcEvent } from "./cdc-event-delivery.js";
import { formatLsn, parseLsn } from "./cdc-log-sequence-number.js";
import { markCdcRowsPublished } from "./cdc-published-marking.js";
import { type CdcReplicationNames, replicationSlotState } from "./cdc-replication-slot.js";
import { errorMessage } from "./error-message.js";
import { createInterruptibleSleep } from "./interruptible-sleep.js";
import type { OutboxPublisher, PublishableOutboxRow } from "./outbox-publisher.js";
import type { RetryPolicy } from "./retry-backoff.js";

/** What every session of one relay shares. */
export interface CdcSessionContext {
  sql: postgres.Sql;
  databaseUrl: string;
  names: CdcReplicationNames;
  publisher: OutboxPublisher;
  sweep: ReturnType<typeof createCdcCatchUpSweep>;
  retry: RetryPolicy;
  logger: Logger;
  outage: BrokerOutage;
  maxInFlight: number;
  heartbeatIntervalMs: number;
  sweepIntervalMs: number;
  onPublished?: ((row: PublishableOutboxRow, ack: PubAck) => void) | undefined;
}

/** One replication connection, from connect to close. */
export interface CdcReplicationSession {
  /**
   * Streams until the connection closes ("ended"), another relay holds the slot ("slot-busy"),
   * or it fails (rejects).
   */
  run(): Promise<"ended" | "slot-busy">;
  /** Graceful end: no more changes, PubAcks in flight awaited (bounded), LSN acknowledged. */
  stop(timeoutMs: number): Promise<void>;
  /** Whether the server started streaming to this session (the supervisor resets its backoff). */
  readonly streamed: boolean;
}

/** A standby status is sent at least this often, whatever the server asks. */
const statusIntervalMs = 10_000;
const heartbeatPrefix = "switchyard-outbox-heartbeat";
/** SQLSTATE object_in_use: another walsender streams from the slot. */
const objectInUse = "55006";

/**
 * One replication connection. Changes arrive in commit order; each outbox insert is published
 * at once (up to maxInFlight awaiting PubAcks, then the socket is paused), and the slot is only
 * acknowledged past a commit when every event before it is stored in JetStream and marked
 * published (CdcCommitPipeline decides what and when; this wires it to the connection).
 */
export function createCdcReplicationSession(context: CdcSessionContext): CdcReplicationSession {
  const { sql, names, logger } = context;
  const service = new LogicalReplicationService(
    { connectionString: context.databaseUrl, application_name: names.slot },
    // Automatic acknowledgement would confirm changes before their PubAck; the library's
    // keepalive timer would do the same with the last received LSN. Both stay off.
    { acknowledge: { auto: false, timeoutSeconds: 0 }, flowControl: { enabled: true } },
  );
  const sleep = createInterruptibleSleep();
  let commits: CdcCommitPipeline | undefined;
  let inFlight = 0;
  const capacityWaiters: (() => void)[] = [];
  let flushing: Promise<void> | undefined;
  let flushRequested = false;
  let ended = false;
  let streamed = false;
  let stopRequested = false;
  let walSenderPid: number | undefined;
  let sweeping = false;
  let fail: (error: unknown) => void = () => {};
  const sessionEnded = () => ended;

  function report(lsn: bigint | undefined): void {
    if (ended || lsn === undefined) return;
    // acknowledge(lsn) reports lsn + 1 as flushed; one less reports exactly the commit end,
    // as Postgres's own subscriber does (lsn + 1 could skip a commit starting right there).
    void service.acknowledge(formatLsn(lsn - 1n)).catch(() => {});
  }

  async function receive(message: Pgoutput.Message): Promise<void> {
    if (ended || !commits) return;
    const change = decodeOutboxChange(message);
    if (change?.kind === "event") await track(commits, change.row);
    else if (change?.kind === "commit") {
      commits.commitReceived(change.lsn);
      requestFlush();
    }
  }

  async function track(pipeline: CdcCommitPipeline, row: PublishableOutboxRow): Promise<void> {
    const event = pipeline.eventReceived(row.eventId);
    inFlight++;
    void deliverCdcEvent(row, { ...context, sleep, sessionEnded })
      .then((outcome) => {
        if (outcome === "published") pipeline.eventPublished(event);
        else if (outcome === "settled") pipeline.eventSettled(event);
      })
      .catch((error: unknown) => fail(error))
      .finally(() => {
        inFlight--;
        capacityWaiters.shift()?.();
        requestFlush();
      });
    // Flow control: the library stops reading the socket until this resolves.
    while (inFlight >= context.maxInFlight && !ended) {
      await new Promise<void>((resolve) => capacityWaiters.push(resolve));
    }
  }

  function releaseCapacityWaiters(): void {
    for (const release of capacityWaiters.splice(0)) release();
  }

  // One flush at a time; a request during a flush runs another round. The loop's last check
  // and the reset of `flushing` happen in the same microtask, so no request is ever lost
  // (a lost one would leave the final rows unmarked and unacknowledged until the next commit).
  function requestFlush(): void {
    flushRequested = true;
    if (flushing) return;
    flushing = (async () => {
      try {
        while (flushRequested) {
          flushRequested = false;
          await flushSettledPrefix();
        }
      } catch (error) {
        fail(error);
      } finally {
        flushing = undefined;
      }
    })();
  }

  // Everything up to the last commit whose events are all settled is done: mark the
  // published rows, then let the slot forget those changes.
  async function flushSettledPrefix(): Promise<void> {
    const prefix = commits?.settledPrefix();
    if (!commits || !prefix) return;
    await markCdcRowsPublished(prefix.publishedEventIds, { sql, logger, sleep, sessionEnded });
    if (ended) return;
    report(commits.acknowledge(prefix, Date.now()));
  }

  async function heartbeat(): Promise<void> {
    if (ended || !commits?.heartbeatDue(Date.now())) return;
    try {
      await sql`select pg_logical_emit_message(true, ${heartbeatPrefix}, '')`;
    } catch (error) {
      logger.warn({ error: errorMessage(error) }, "outbox CDC relay: heartbeat message failed");
    }
  }

  async function sweep(): Promise<void> {
    if (ended || sweeping) return;
    sweeping = true;
    try {
      await context.sweep.runUntilEmpty({ minAgeMs: 2 * context.sweepIntervalMs });
    } catch (error) {
      logger.warn({ error: errorMessage(error) }, "outbox CDC relay: catch-up sweep failed");
    } finally {
      sweeping = false;
    }
  }

  // The server's walsender lets go of the slot a moment after the connection closes; until
  // then a successor (or dropCdcReplication) would find it busy.
  async function awaitSlotRelease(): Promise<void> {
    if (walSenderPid === undefined) return;
    const deadline = Date.now() + 5_000;
    while (Date.now() < deadline) {
      const state = await replicationSlotState(sql, names.slot).catch(() => undefined);
      if (state?.activePid !== walSenderPid) return;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  function onStart(): void {
    streamed = true;
    // stop() arrived while connecting.
    if (stopRequested) void service.stop();
    void replicationSlotState(sql, names.slot).then(
      (streaming) => {
        walSenderPid = streaming?.activePid ?? undefined;
      },
      () => {},
    );
    logger.info(
      {
        slot: names.slot,
        publication: names.publication,
        resumeLsn: formatLsn(commits?.acknowledgedLsn ?? 0n),
      },
      "outbox CDC relay streaming",
    );
  }

  return {
    get streamed() {
      return streamed;
    },

    async run() {
      const state = await replicationSlotState(sql, names.slot);
      if (!state) throw new Error(`replication slot ${names.slot} does not exist`);
      const pipeline = new CdcCommitPipeline({
        resumeLsn: state.confirmedFlushLsn ? parseLsn(state.confirmedFlushLsn) : 0n,
        statusIntervalMs,
        heartbeatIntervalMs: context.heartbeatIntervalMs,
        now: Date.now(),
      });
      commits = pipeline;
      if (stopRequested) return "ended";
      const failed = new Promise<never>((_, reject) => {
        fail = reject;
      });
      failed.catch(() => {});
      service.on("error", (error: Error) => fail(error));
      // The library awaits this (flow control) and reports a rejection as "error".
      service.on("data", (_lsn: string, message: Pgoutput.Message) => receive(message));
      service.on("heartbeat", (_lsn: string, _time: number, shouldRespond: boolean) => {
        report(pipeline.statusReply(shouldRespond, Date.now()));
      });
      service.on("start", onStart);
      const plugin = new PgoutputPlugin({
        protoVersion: 1,
        publicationNames: [names.publication],
        messages: true,
      });
      const timers = [
        // Also answers the server while flow control pauses reading.
        setInterval(() => report(pipeline.statusReply(false, Date.now())), 1_000),
        setInterval(() => void heartbeat(), Math.min(context.heartbeatIntervalMs, 10_000)),
        setInterval(() => void sweep(), context.sweepIntervalMs),
      ];
      try {
        // Resolves when the connection closes; "0/0" = resume at the slot's confirmed LSN.
        await Promise.race([service.subscribe(plugin, names.slot, "0/0"), failed]);
        return "ended";
      } catch (error) {
        if ((error as { code?: string } | undefined)?.code === objectInUse) return "slot-busy";
        throw error;
      } finally {
        for (const timer of timers) clearInterval(timer);
        ended = true;
        sleep.close();
        releaseCapacityWaiters();
        await service.destroy().catch(() => {});
        await awaitSlotRelease();
      }
    },

    async stop(timeoutMs) {
      stopRequested = true;
      service.removeAllListeners("data");
      const deadline = Date.now() + timeoutMs;
      while (inFlight > 0 && Date.now() < deadline && !ended) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      requestFlush();
      await flushing?.catch(() => {});
      await service.stop().catch(() => {});
    },
  };
}
