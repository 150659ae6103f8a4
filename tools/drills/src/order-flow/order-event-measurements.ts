import type { Measurement } from "../drill.js";
import type { OrderEventLedger } from "./order-event-ledger.js";

const describeCodes = (failures: Record<string, number>) =>
  Object.entries(failures)
    .map(([code, count]) => `${code} ${count}`)
    .join(", ") || "none";

/**
 * The rows every order-flow drill shares: each committed order's OrderPlaced published once,
 * in the stream once, applied once by the inbox consumer and by order-service's projections.
 * `committed` is what the promise covers — the confirmed orders, or (when the producer is
 * killed mid-call) every order the database holds.
 */
export function orderEventMeasurements(input: {
  ledger: OrderEventLedger;
  committed: number;
  failuresByCode: Record<string, number>;
  failuresAllowed: boolean;
  maxCommitToAppliedMs: number;
}): Measurement[] {
  const { ledger, committed } = input;
  return [
    {
      name: "orders committed",
      value: committed,
      required: "> 0",
      holds: committed > 0,
    },
    {
      name: "PlaceOrder failures by code",
      value: describeCodes(input.failuresByCode),
      ...(input.failuresAllowed
        ? {}
        : { required: "none", holds: Object.keys(input.failuresByCode).length === 0 }),
    },
    {
      name: "events published (PubAck)",
      value: ledger.outbox.published,
      required: "= committed",
      holds: ledger.outbox.published === committed,
    },
    {
      name: "events left in outbox (pending / dead-lettered)",
      value: `${ledger.outbox.pending} / ${ledger.outbox.deadLettered}`,
      required: "0 / 0",
      holds: ledger.outbox.pending === 0 && ledger.outbox.deadLettered === 0,
    },
    {
      name: "events in the stream (distinct)",
      value: `${ledger.stream.messages} (${ledger.stream.distinctEvents})`,
      required: "distinct = committed",
      holds: ledger.stream.distinctEvents === committed,
    },
    {
      name: "events consumed (applied by the inbox consumer)",
      value: ledger.consumer.distinctEvents,
      required: "= committed",
      holds: ledger.consumer.distinctEvents === committed,
    },
    {
      name: "order-service projections that applied them",
      value: ledger.projections.map((p) => `${p.consumer} ${p.applied}`).join(", ") || "none",
      required: "each = committed",
      holds:
        ledger.projections.length > 0 && ledger.projections.every((p) => p.applied === committed),
    },
    {
      name: "duplicates (applied twice)",
      value: ledger.appliedTwice,
      required: "= 0",
      holds: ledger.appliedTwice === 0,
    },
    {
      name: "lost (committed, never consumed)",
      value: ledger.lost.length,
      required: "= 0",
      holds: ledger.lost.length === 0,
    },
    {
      name: "events whose publish was retried (most attempts)",
      value: `${ledger.relay.rowsRetried} (${ledger.relay.mostFailedAttempts})`,
    },
    {
      name: "longest commit → published",
      value: `${(ledger.relay.maxCommitToPublishedMs / 1000).toFixed(1)} s`,
    },
    {
      name: "longest commit → consumed",
      value: `${(input.maxCommitToAppliedMs / 1000).toFixed(1)} s`,
    },
  ];
}
