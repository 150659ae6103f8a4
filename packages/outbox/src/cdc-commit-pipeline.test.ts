import { describe, expect, it } from "vitest";
import { CdcCommitPipeline, type PipelineEvent } from "./cdc-commit-pipeline.js";

const statusIntervalMs = 10_000;
const heartbeatIntervalMs = 30_000;

function pipeline(resumeLsn = 0n, now = 0): CdcCommitPipeline {
  return new CdcCommitPipeline({ resumeLsn, statusIntervalMs, heartbeatIntervalMs, now });
}

/** What the replication session does with a settled prefix: mark its rows, then acknowledge. */
function flush(commits: CdcCommitPipeline, now = 0): { marked: string[]; acknowledged?: bigint } {
  const prefix = commits.settledPrefix();
  if (!prefix) return { marked: [] };
  return { marked: [...prefix.publishedEventIds], acknowledged: commits.acknowledge(prefix, now) };
}

describe("CDC commit pipeline", () => {
  it("acknowledges a commit only after the PubAck of its event", () => {
    const commits = pipeline();
    const event = commits.eventReceived("e1");
    commits.commitReceived(100n);

    expect(flush(commits)).toEqual({ marked: [] });
    expect(commits.acknowledgedLsn).toBe(0n);

    commits.eventPublished(event);
    expect(flush(commits)).toEqual({ marked: ["e1"], acknowledged: 100n });
    expect(commits.size).toBe(0);
  });

  it("acknowledges LSNs in commit order when PubAcks arrive out of order", () => {
    const commits = pipeline();
    const first = commits.eventReceived("e1");
    commits.commitReceived(100n);
    const second = commits.eventReceived("e2");
    commits.commitReceived(200n);
    const third = commits.eventReceived("e3");
    commits.commitReceived(300n);

    // The last two are stored first: nothing may be acknowledged while e1 is in flight.
    commits.eventPublished(third);
    commits.eventPublished(second);
    expect(flush(commits)).toEqual({ marked: [] });
    expect(commits.acknowledgedLsn).toBe(0n);

    commits.eventPublished(first);
    expect(flush(commits)).toEqual({ marked: ["e1", "e2", "e3"], acknowledged: 300n });
  });

  it("acknowledges up to the last commit before a pending event, and the rest once it is stored", () => {
    const commits = pipeline();
    const first = commits.eventReceived("e1");
    commits.commitReceived(100n);
    const second = commits.eventReceived("e2");
    const third = commits.eventReceived("e3"); // same transaction as e2
    commits.commitReceived(200n);

    commits.eventPublished(first);
    commits.eventPublished(third);
    expect(flush(commits)).toEqual({ marked: ["e1"], acknowledged: 100n });
    expect(flush(commits)).toEqual({ marked: [] });

    commits.eventPublished(second);
    expect(flush(commits)).toEqual({ marked: ["e2", "e3"], acknowledged: 200n });
  });

  it("does not acknowledge a stored event until its transaction's commit has arrived", () => {
    const commits = pipeline();
    commits.eventPublished(commits.eventReceived("e1"));
    expect(flush(commits)).toEqual({ marked: [] });
    commits.commitReceived(100n);
    expect(flush(commits)).toEqual({ marked: ["e1"], acknowledged: 100n });
  });

  it("passes a dead-lettered event without marking it published", () => {
    const commits = pipeline();
    const dead = commits.eventReceived("dead");
    const alive = commits.eventReceived("alive");
    commits.commitReceived(100n);
    commits.eventPublished(alive);
    commits.eventSettled(dead);
    expect(flush(commits)).toEqual({ marked: ["alive"], acknowledged: 100n });
  });

  it("acknowledges commits without outbox events (heartbeats) as soon as they arrive", () => {
    const commits = pipeline(50n);
    commits.commitReceived(100n);
    expect(flush(commits)).toEqual({ marked: [], acknowledged: 100n });
  });

  it("in any PubAck order, acknowledges exactly the commits whose events are all stored", () => {
    let seed = 7;
    const random = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const commits = pipeline();
    const transactions: { lsn: bigint; events: PipelineEvent[] }[] = [];
    for (let index = 1; index <= 50; index++) {
      const events = Array.from({ length: 1 + Math.floor(random() * 3) }, (_, offset) =>
        commits.eventReceived(`e${index}.${offset}`),
      );
      const lsn = BigInt(index * 100);
      commits.commitReceived(lsn);
      transactions.push({ lsn, events });
    }
    const unacked = transactions.flatMap((transaction) => transaction.events);
    const stored = new Set<PipelineEvent>();
    const marked: string[] = [];
    while (unacked.length > 0) {
      const [event] = unacked.splice(Math.floor(random() * unacked.length), 1);
      commits.eventPublished(event as PipelineEvent);
      stored.add(event as PipelineEvent);
      marked.push(...flush(commits).marked);
      const firstIncomplete = transactions.findIndex((transaction) =>
        transaction.events.some((pending) => !stored.has(pending)),
      );
      const complete =
        firstIncomplete === -1 ? transactions : transactions.slice(0, firstIncomplete);
      expect(commits.acknowledgedLsn).toBe(complete.at(-1)?.lsn ?? 0n);
    }
    expect(commits.acknowledgedLsn).toBe(5_000n);
    expect(marked).toHaveLength(transactions.flatMap((transaction) => transaction.events).length);
    expect(new Set(marked).size).toBe(marked.length);
  });
});

describe("CDC keepalive replies", () => {
  it("answers a keepalive that asks for a reply at once, with the last acknowledged LSN, not the last received", () => {
    const commits = pipeline(0n, 0);
    commits.eventPublished(commits.eventReceived("e1"));
    commits.commitReceived(100n);
    flush(commits, 1);
    commits.eventReceived("e2"); // received, PubAck not in
    commits.commitReceived(200n);

    expect(commits.statusReply(true, 2)).toBe(100n);
    expect(commits.statusReply(true, 3)).toBe(100n);
  });

  it("answers keepalives that do not ask for a reply only once the status interval has passed", () => {
    const commits = pipeline(100n, 0);
    expect(commits.statusReply(false, statusIntervalMs - 1)).toBeUndefined();
    expect(commits.statusReply(false, statusIntervalMs)).toBe(100n);
    expect(commits.statusReply(false, statusIntervalMs + 1)).toBeUndefined();
    expect(commits.statusReply(false, 2 * statusIntervalMs)).toBe(100n);
  });

  it("counts an acknowledgement as a status sent", () => {
    const commits = pipeline(100n, 0);
    commits.commitReceived(200n);
    flush(commits, 9_000);
    expect(commits.statusReply(false, statusIntervalMs)).toBeUndefined();
    expect(commits.statusReply(false, 9_000 + statusIntervalMs)).toBe(200n);
  });

  it("reports nothing while no position is known to be flushed", () => {
    const commits = pipeline(0n, 0);
    commits.eventReceived("e1");
    commits.commitReceived(100n);
    expect(commits.statusReply(true, 1)).toBeUndefined();
    expect(commits.statusReply(false, 10 * statusIntervalMs)).toBeUndefined();
  });
});

describe("CDC restart", () => {
  it("restarts from the last acknowledged LSN and acknowledges the replayed commits after it", () => {
    // First session: commit 100 is stored and acknowledged, commit 200's event is in flight
    // when the relay crashes.
    const first = pipeline();
    first.eventPublished(first.eventReceived("e1"));
    first.commitReceived(100n);
    flush(first);
    first.eventReceived("e2");
    first.commitReceived(200n);
    expect(first.acknowledgedLsn).toBe(100n);

    // The slot's confirmed LSN is what the second session resumes from: Postgres replays
    // commit 200, and the restarted pipeline reports 100 until e2 is stored again.
    const second = pipeline(first.acknowledgedLsn, 0);
    expect(second.statusReply(true, 1)).toBe(100n);
    const replayed = second.eventReceived("e2");
    second.commitReceived(200n);
    expect(second.statusReply(true, 2)).toBe(100n);
    second.eventPublished(replayed);
    expect(flush(second)).toEqual({ marked: ["e2"], acknowledged: 200n });
  });

  it("never moves the acknowledged LSN back for a commit at or below the resume point", () => {
    const commits = pipeline(500n);
    commits.eventPublished(commits.eventReceived("old"));
    commits.commitReceived(400n);
    expect(flush(commits)).toEqual({ marked: ["old"], acknowledged: 500n });
  });
});

describe("CDC heartbeat", () => {
  it("is due only after the interval with nothing in flight", () => {
    const commits = pipeline(100n, 0);
    expect(commits.heartbeatDue(heartbeatIntervalMs - 1)).toBe(false);
    commits.eventReceived("e1");
    expect(commits.heartbeatDue(heartbeatIntervalMs)).toBe(false);

    const idle = pipeline(100n, 0);
    expect(idle.heartbeatDue(heartbeatIntervalMs)).toBe(true);
    expect(idle.heartbeatDue(heartbeatIntervalMs + 1)).toBe(false);
  });
});
