import type { Measurement } from "../drill.js";
import type { OrderEventLedger } from "../order-flow/order-event-ledger.js";

/** One kill-and-restart of a node, as measured by the drill. */
export interface NodeLossRound {
  node: string;
  /** Epoch ms. */
  killedAt: number;
  electedAfterMs: number;
  newLeader: string;
  restartedAt: number;
  /** From the restart until the leader reported it current again. */
  caughtUpAfterMs: number;
  /** The new leader reported the dead node behind (not current, or lagging) before the restart. */
  seenBehind: boolean;
  /** From the kill until the first event of an order committed after it was applied. */
  flowResumedAfterMs: number | undefined;
}

/**
 * The verdict rows of nats-node-loss. The promise: every confirmed order's OrderPlaced is
 * stored, published, in the replicated stream and applied exactly once — by the drill's inbox
 * consumer and by each of order-service's own projections — while PlaceOrder never fails,
 * and every planned node really was killed and came back. Timings are context, not promises.
 */
export function nodeLossMeasurements(input: {
  plannedRounds: number;
  rounds: readonly NodeLossRound[];
  failuresByCode: Readonly<Record<string, number>>;
  ledger: OrderEventLedger;
  /** The restarted node the stream was read from, as its leader; undefined if it never led. */
  streamReadFrom: string | undefined;
  maxCommitToAppliedMs: number;
}): Measurement[] {
  const { ledger, rounds } = input;
  const confirmed = ledger.ordersConfirmed;
  const failures = Object.entries(input.failuresByCode);
  return [
    {
      name: "nodes killed (SIGKILL) / restarted",
      value: `${rounds.length} / ${rounds.length} (${rounds.map((round) => round.node).join(", ")})`,
      required: `${input.plannedRounds} / ${input.plannedRounds}`,
      holds: rounds.length === input.plannedRounds,
    },
    {
      name: "killed node reported behind while down",
      value: rounds.map((round) => (round.seenBehind ? "yes" : "no")).join(", ") || "-",
      required: "yes",
      holds: rounds.length > 0 && rounds.every((round) => round.seenBehind),
    },
    {
      name: "orders placed (confirmed)",
      value: confirmed,
      required: "> 0",
      holds: confirmed > 0,
    },
    {
      name: "PlaceOrder failures by code",
      value:
        failures.length === 0 ? "none" : failures.map(([code, n]) => `${code} ×${n}`).join(", "),
      required: "none",
      holds: failures.length === 0,
    },
    {
      name: "orders stored",
      value: ledger.ordersStored,
      required: "= placed",
      holds: ledger.ordersStored === confirmed,
    },
    {
      name: "events published (PubAck)",
      value: ledger.outbox.published,
      required: "= placed",
      holds: ledger.outbox.published === confirmed,
    },
    {
      name: "events left in outbox (pending / dead-lettered)",
      value: `${ledger.outbox.pending} / ${ledger.outbox.deadLettered}`,
      required: "0 / 0",
      holds: ledger.outbox.pending === 0 && ledger.outbox.deadLettered === 0,
    },
    {
      name: "events in the R3 stream (distinct)",
      value: `${ledger.stream.messages} (${ledger.stream.distinctEvents})`,
      required: "distinct = placed",
      holds: ledger.stream.distinctEvents === confirmed,
    },
    {
      name: "stream read from (leader after the drill)",
      value:
        input.streamReadFrom === undefined
          ? "no restarted node could be made leader"
          : `${input.streamReadFrom}, a node killed and restarted`,
      required: "a restarted node",
      holds: input.streamReadFrom !== undefined,
    },
    {
      name: "copies stored twice (inbox absorbs them)",
      value: ledger.stream.messages - ledger.stream.distinctEvents,
    },
    {
      name: "events consumed (applied by the inbox consumer)",
      value: ledger.consumer.distinctEvents,
      required: "= placed",
      holds: ledger.consumer.distinctEvents === confirmed,
    },
    {
      name: "order-service projections that applied them",
      value: ledger.projections.map((p) => `${p.consumer} ${p.applied}`).join(", ") || "none",
      required: "each = placed",
      holds:
        ledger.projections.length > 0 &&
        ledger.projections.every((projection) => projection.applied === confirmed),
    },
    {
      name: "duplicates (applied twice)",
      value: ledger.appliedTwice,
      required: "= 0",
      holds: ledger.appliedTwice === 0,
    },
    {
      name: "lost (placed, never consumed)",
      value: ledger.lost.length,
      required: "= 0",
      holds: ledger.lost.length === 0,
    },
    {
      name: "new stream leader elected after",
      value: rounds
        .map((round) => `${seconds(round.electedAfterMs)} (${round.newLeader})`)
        .join(", "),
    },
    {
      name: "events flowing again after the kill",
      value: rounds
        .map((round) =>
          round.flowResumedAfterMs === undefined ? "never" : seconds(round.flowResumedAfterMs),
        )
        .join(", "),
    },
    {
      name: "restarted node caught up after",
      value: rounds.map((round) => seconds(round.caughtUpAfterMs)).join(", "),
    },
    {
      name: "events whose publish was retried (most attempts)",
      value: `${ledger.relay.rowsRetried} (${ledger.relay.mostFailedAttempts})`,
    },
    ...(ledger.relay.sampleError === undefined
      ? []
      : [{ name: "a publish error retried", value: ledger.relay.sampleError }]),
    { name: "longest commit → published", value: seconds(ledger.relay.maxCommitToPublishedMs) },
    { name: "longest commit → consumed", value: seconds(input.maxCommitToAppliedMs) },
  ];
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}
