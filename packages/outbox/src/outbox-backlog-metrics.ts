import { type BatchObservableResult, metrics } from "@opentelemetry/api";
import type postgres from "postgres";

/** Stops reporting. */
export interface OutboxBacklogMetrics {
  stop(): void;
}

/**
 * Observable gauges of the outbox's backlog, read from the database at each collection (a
 * scrape or an OTLP export): `switchyard.outbox.backlog` (pending rows) and
 * `switchyard.outbox.oldest_pending.age` (s since the oldest pending row was written). Both
 * count through the partial index of pending rows, so they stay cheap however many published
 * rows the table keeps. Every relay replica reports the same numbers of the same database: take
 * max(), not sum(). A collection during a database outage reports nothing.
 */
export function observeOutboxBacklog(sql: postgres.Sql): OutboxBacklogMetrics {
  const meter = metrics.getMeter("@switchyard/outbox");
  const backlog = meter.createObservableGauge("switchyard.outbox.backlog", {
    description: "Outbox rows waiting to be published (not published, not dead-lettered).",
    unit: "{message}",
  });
  const oldestAge = meter.createObservableGauge("switchyard.outbox.oldest_pending.age", {
    description: "Age of the oldest pending outbox row (0 when none is pending).",
    unit: "s",
  });
  // Several services can run in one process (tests, benchmarks): their databases tell them apart.
  const attributes = { "db.namespace": sql.options.database };
  const observe = async (result: BatchObservableResult) => {
    try {
      const [row] = await sql<{ pending: number; ageSeconds: number | null }[]>`
        select count(*)::int as pending,
               extract(epoch from now() - min(create_time))::float8 as "ageSeconds"
        from outbox_messages
        where published_time is null and dead_letter_time is null`;
      result.observe(backlog, row?.pending ?? 0, attributes);
      result.observe(oldestAge, Math.max(0, row?.ageSeconds ?? 0), attributes);
    } catch {
      // No value is better than a wrong one; the relay logs the outage itself.
    }
  };
  const observables = [backlog, oldestAge];
  meter.addBatchObservableCallback(observe, observables);
  return {
    stop() {
      meter.removeBatchObservableCallback(observe, observables);
    },
  };
}
