import type { Logger } from "@switchyard/logging";

/** Logs the start and the end of a NATS outage once each, however many publishes fail. */
export interface BrokerOutage {
  /** A publish failed because the broker is unreachable. */
  down(): void;
  /** A publish succeeded. */
  up(): void;
}

/**
 * Broker outages never count against rows; this only makes them visible: one warning when the
 * first publish fails, one line with the outage's length when a publish succeeds again.
 */
export function trackBrokerOutage(options: {
  logger: Logger;
  /** Names the relay in the log lines, e.g. "outbox CDC relay". */
  relay: string;
  /** What happens to events meanwhile, e.g. "rows stay pending until it is back". */
  meanwhile: string;
}): BrokerOutage {
  let downSince: number | undefined;
  return {
    down() {
      if (downSince !== undefined) return;
      downSince = Date.now();
      options.logger.warn(`${options.relay}: NATS unreachable; ${options.meanwhile}`);
    },
    up() {
      if (downSince === undefined) return;
      options.logger.info({ outageMs: Date.now() - downSince }, `${options.relay}: NATS is back`);
      downSince = undefined;
    },
  };
}
