import type { NatsConnection } from "@nats-io/transport-node";
import type { EventNamespace } from "@switchyard/events";
import type { Logger } from "@switchyard/logging";
import type postgres from "postgres";
import { createCdcOutboxRelay } from "./cdc-outbox-relay.js";
import { createOutboxRelay } from "./outbox-relay.js";

/** A running relay of either mode. */
export interface RunningOutboxRelay {
  mode: "poll" | "cdc";
  /** Finishes what is in flight, then stops. Call after gRPC drained, before NATS drains. */
  stop(): Promise<void>;
}

/**
 * Starts the service's outbox relay in the configured mode (OUTBOX_RELAY_MODE): "poll" (the
 * default) or "cdc", which needs `wal_level=logical` and a role with REPLICATION and fails
 * start-up with a message saying so otherwise.
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
}): Promise<RunningOutboxRelay> {
  const common = {
    sql: options.sql,
    nats: options.nats,
    namespace: options.namespace,
    source: `switchyard/${options.service}`,
    logger: options.logger,
  };
  if (options.mode === "cdc") {
    const relay = createCdcOutboxRelay({
      ...common,
      databaseUrl: options.databaseUrl,
      service: options.service,
    });
    await relay.start();
    return { mode: "cdc", stop: () => relay.stop() };
  }
  const relay = createOutboxRelay(common);
  relay.start();
  return { mode: "poll", stop: () => relay.stop() };
}
