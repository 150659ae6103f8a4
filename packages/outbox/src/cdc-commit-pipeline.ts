/**
 * The acknowledgement state machine of the CDC relay, without I/O: what the replication
 * session may tell Postgres it has flushed, and when.
 *
 * Changes arrive in commit order: the events of a transaction, then its commit (with the LSN
 * where the commit ends). Events are published concurrently and their PubAcks come back in any
 * order. The slot may only forget a commit once every event up to and including that commit is
 * stored in JetStream (or settled otherwise: dead-lettered, or found done by someone else) and
 * the published rows are marked. Acknowledging more would lose events in a crash; acknowledging
 * less only replays events JetStream drops as duplicates.
 */

/** An event the pipeline waits for: received from the stream, its PubAck not yet in. */
export interface PipelineEvent {
  readonly eventId: string;
}

/** The longest settled run at the front of the pipeline, ending with a commit. */
export interface SettledPrefix {
  /** Rows to mark published before the commit is acknowledged. */
  readonly publishedEventIds: readonly string[];
  /** The end LSN of the prefix's last commit: what may be acknowledged once the rows are marked. */
  readonly commitLsn: bigint;
  /** How many pipeline entries the prefix covers. */
  readonly length: number;
}

export interface CdcCommitPipelineOptions {
  /** The slot's confirmed flush LSN at start: nothing at or below it is acknowledged again. */
  resumeLsn: bigint;
  /** A standby status is sent at least this often, asked for or not. */
  statusIntervalMs: number;
  /** With nothing in flight and nothing acknowledged for this long, a heartbeat is due. */
  heartbeatIntervalMs: number;
  /** The time the pipeline starts (milliseconds; the caller's clock). */
  now: number;
}

type EventEntry = {
  kind: "event";
  eventId: string;
  /** settled: dead-lettered, or found published/dead-lettered by someone else. */
  state: "pending" | "published" | "settled";
};
type CommitEntry = { kind: "commit"; lsn: bigint };
type PipelineEntry = EventEntry | CommitEntry;

/** See the module comment. One per replication session; time is passed in by the caller. */
export class CdcCommitPipeline {
  private readonly entries: PipelineEntry[] = [];
  private acknowledged: bigint;
  private lastStatusAt: number;
  private lastAcknowledgeAt: number;

  constructor(private readonly options: CdcCommitPipelineOptions) {
    this.acknowledged = options.resumeLsn;
    this.lastStatusAt = options.now;
    this.lastAcknowledgeAt = options.now;
  }

  /** The highest commit end LSN the slot may forget (the slot's flush position). */
  get acknowledgedLsn(): bigint {
    return this.acknowledged;
  }

  /** Entries (events and commits) not yet acknowledged. */
  get size(): number {
    return this.entries.length;
  }

  /** An outbox insert arrived from the stream; the caller publishes it. */
  eventReceived(eventId: string): PipelineEvent {
    const entry: EventEntry = { kind: "event", eventId, state: "pending" };
    this.entries.push(entry);
    return entry;
  }

  /** Its PubAck arrived: the event is stored in JetStream; its row must be marked published. */
  eventPublished(event: PipelineEvent): void {
    this.entryOf(event).state = "published";
  }

  /** The event needs nothing more (dead-lettered, or already published/dead-lettered). */
  eventSettled(event: PipelineEvent): void {
    this.entryOf(event).state = "settled";
  }

  /** A transaction's commit arrived, ending at `lsn`. */
  commitReceived(lsn: bigint): void {
    this.entries.push({ kind: "commit", lsn });
  }

  /**
   * Everything up to the last commit with no pending event before it, or undefined when the
   * first entries still wait for a PubAck (or no commit has arrived after them).
   */
  settledPrefix(): SettledPrefix | undefined {
    let cut = -1;
    for (let index = 0; index < this.entries.length; index++) {
      const entry = this.entries[index] as PipelineEntry;
      if (entry.kind === "commit") cut = index;
      else if (entry.state === "pending") break;
    }
    if (cut < 0) return undefined;
    const prefix = this.entries.slice(0, cut + 1);
    return {
      publishedEventIds: prefix.flatMap((entry) =>
        entry.kind === "event" && entry.state === "published" ? [entry.eventId] : [],
      ),
      commitLsn: (prefix[cut] as CommitEntry).lsn,
      length: cut + 1,
    };
  }

  /**
   * The prefix's rows are marked: drop it and move the acknowledged LSN (never backwards: a
   * replayed commit below the resume point changes nothing). Returns the LSN to report now.
   */
  acknowledge(prefix: SettledPrefix, now: number): bigint {
    this.entries.splice(0, prefix.length);
    if (prefix.commitLsn > this.acknowledged) this.acknowledged = prefix.commitLsn;
    this.lastAcknowledgeAt = now;
    this.lastStatusAt = now;
    return this.acknowledged;
  }

  /**
   * What to answer a server keepalive, or the periodic check (`replyRequested` false): the
   * acknowledged LSN — never the last LSN received, whose events may not be stored yet — when
   * the server asks for a reply or the status interval has passed; undefined otherwise, and
   * while nothing is known to be acknowledged.
   */
  statusReply(replyRequested: boolean, now: number): bigint | undefined {
    if (this.acknowledged === 0n) return undefined;
    if (!replyRequested && now - this.lastStatusAt < this.options.statusIntervalMs) {
      return undefined;
    }
    this.lastStatusAt = now;
    return this.acknowledged;
  }

  /**
   * Whether to write a heartbeat message so the slot can advance although no outbox row was
   * committed lately (else Postgres keeps all the WAL the service writes meanwhile). Only when
   * nothing is in flight: a heartbeat behind a pending event could not be acknowledged anyway.
   */
  heartbeatDue(now: number): boolean {
    if (this.entries.length > 0) return false;
    if (now - this.lastAcknowledgeAt < this.options.heartbeatIntervalMs) return false;
    this.lastAcknowledgeAt = now;
    return true;
  }

  private entryOf(event: PipelineEvent): EventEntry {
    return event as EventEntry;
  }
}
