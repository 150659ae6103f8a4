import type { NatsConnection } from "@nats-io/transport-node";
import type { EventNamespace } from "@switchyard/events";
import type { Logger } from "@switchyard/logging";
import type postgres from "postgres";
import { createCdcOutboxRelay } from "./cdc-outbox-relay.js";
import { observeOutboxBacklog } from "./outbox-backlog-metrics.js";
import { createOutboxRelay } from "./outbox-relay.js";
import { startPublishedOutboxPurge } from "./published-outbox-purge.js";

/** OUTBOX_PUBLISHED_RETENTION_HOURS' default: a week. */
export const defaultPublishedRetentionMs = 168 * 3_600_000;
/** RETENTION_SWEEP_INTERVAL_MS' default: ten minutes. */
export const defaultRetentionSweepIntervalMs = 600_000;

/** A running relay of either mode. */
export interface RunningOutboxRelay {
  mode: "poll" | "cdc";
  /**
   * Finishes what is in flight, then stops (the retention sweep too). Call after gRPC drained,
   * before NATS drains.
   */
  stop(): Promise<void>;
}

/**
 * Starts the service's outbox relay in the configured mode (OUTBOX_RELAY_MODE): "poll" (the
 * default) or "cdc", which needs `wal_level=logical` and a role with REPLICATION and fails
 * start-up with a message saying so otherwise. In both modes published rows older than
 * `publishedRetentionMs` are deleted every `sweepIntervalMs` (OUTBOX_PUBLISHED_RETENTION_HOURS,
 * RETENTION_SWEEP_INTERVAL_MS).
 */
export async function startOutboxRelay(options: {
  mode: "poll" | "cdc";
  sql: postgres.Sql;
  /** Same database as `sql`; the CDC relay opens a replication connection with it. */
  databaseUrl: string;
  nats: NatsConnection;
  namespace: EventNamespace;
  /** The service name: ce-source `switchyard/<service>`, CDC slot and publication names. */
  service: string;
  logger: Logger;
  /** How long published rows are kept. Default a week (defaultPublishedRetentionMs). */
  publishedRetentionMs?: number;
  /** How often the retention sweep runs. Default ten minutes. */
  sweepIntervalMs?: number;
}): Promise<RunningOutboxRelay> {
  const common = {
    sql: options.sql,
    nats: options.nats,
    namespace: options.namespace,
    source: `switchyard/${options.service}`,
    logger: options.logger,
  };
  const relay =
    options.mode === "cdc"
      ? createCdcOutboxRelay({
          ...common,
          databaseUrl: options.databaseUrl,
          service: options.service,
        })
      : createOutboxRelay(common);
  await relay.start();
  const backlog = observeOutboxBacklog(options.sql);
  const purge = startPublishedOutboxPurge({
    sql: options.sql,
    retentionMs: options.publishedRetentionMs ?? defaultPublishedRetentionMs,
    intervalMs: options.sweepIntervalMs ?? defaultRetentionSweepIntervalMs,
    logger: options.logger,
  });
  return {
    mode: options.mode,
    async stop() {
      backlog.stop();
      await Promise.all([relay.stop(), purge.stop()]);
    },
  };
}
