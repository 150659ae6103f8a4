import * as grpc from "@grpc/grpc-js";
import {
  type HealthCheckRequest,
  type HealthCheckResponse,
  type HealthServer,
  HealthCheckResponse_ServingStatus as ServingStatus,
} from "@switchyard/contracts/grpc/grpc/health/v1/health";
import type { HealthRegistry, ReadinessReport } from "@switchyard/lifecycle";
import type { Logger } from "@switchyard/logging";

export interface ReadinessHealthServiceOptions {
  health: HealthRegistry;
  /** Fully-qualified service names to report; "" (the whole server) is always reported. */
  serviceNames: string[];
  logger: Logger;
  pollIntervalMs: number;
}

/** grpc.health.v1 whose answers follow the HealthRegistry's readiness. */
export interface ReadinessHealthService {
  implementation: HealthServer;
  /** Settles once the first readiness evaluation is done. */
  firstEvaluation: Promise<void>;
  /** Reports NOT_SERVING for good, stops polling and ends every Watch (so drains can finish). */
  stop(): void;
}

/**
 * Creates the health service. Readiness is polled every `pollIntervalMs` and pushed to watchers;
 * `markShuttingDown()` flips every name to NOT_SERVING at once instead of at the next poll.
 * Readiness is process-wide, so every reported name shares one status.
 */
export function createReadinessHealthService(
  options: ReadinessHealthServiceOptions,
): ReadinessHealthService {
  const { health, logger, pollIntervalMs } = options;
  const knownNames = new Set(["", ...options.serviceNames]);
  const watchers = new Set<{
    service: string;
    call: grpc.ServerWritableStream<HealthCheckRequest, HealthCheckResponse>;
  }>();
  // Undefined until the first evaluation, so that the first result is always logged.
  let status: ServingStatus | undefined;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;

  function statusOf(service: string): ServingStatus {
    if (!knownNames.has(service)) return ServingStatus.SERVICE_UNKNOWN;
    return status ?? ServingStatus.NOT_SERVING;
  }

  function setStatus(next: ServingStatus, report: ReadinessReport): void {
    if (next === status) return;
    status = next;
    if (next === ServingStatus.SERVING) {
      logger.info({ checks: report.checks }, "readiness: SERVING");
    } else {
      logger.warn({ checks: report.checks }, "readiness: NOT_SERVING");
    }
    for (const watcher of watchers) {
      if (knownNames.has(watcher.service)) watcher.call.write({ status: next });
    }
  }

  async function evaluate(): Promise<void> {
    const report = await health.checkReadiness().catch(
      (error: unknown): ReadinessReport => ({
        ready: false,
        checks: { readiness: error instanceof Error ? error.message : String(error) },
      }),
    );
    if (stopped) return;
    setStatus(report.ready ? ServingStatus.SERVING : ServingStatus.NOT_SERVING, report);
  }

  function scheduleNextPoll(): void {
    if (stopped) return;
    timer = setTimeout(() => void evaluate().then(scheduleNextPoll), pollIntervalMs);
    // Polling alone must never keep a process alive.
    timer.unref();
  }

  health.onShuttingDown(() => {
    setStatus(ServingStatus.NOT_SERVING, { ready: false, checks: { shutdown: "shutting down" } });
  });

  const implementation: HealthServer = {
    check(call, callback) {
      const service = call.request.service;
      if (!knownNames.has(service)) {
        callback({ code: grpc.status.NOT_FOUND, details: `unknown service "${service}"` });
        return;
      }
      callback(null, { status: statusOf(service) });
    },
    watch(call) {
      const watcher = { service: call.request.service, call };
      if (stopped) {
        call.write({ status: statusOf(watcher.service) });
        call.end();
        return;
      }
      watchers.add(watcher);
      call.on("cancelled", () => watchers.delete(watcher));
      call.write({ status: statusOf(watcher.service) });
    },
    list(_call, callback) {
      const statuses = Object.fromEntries(
        [...knownNames].map((name) => [name, { status: statusOf(name) }]),
      );
      callback(null, { statuses });
    },
  };

  return {
    implementation,
    firstEvaluation: evaluate().then(scheduleNextPoll),
    stop() {
      setStatus(ServingStatus.NOT_SERVING, { ready: false, checks: { shutdown: "stopped" } });
      stopped = true;
      clearTimeout(timer);
      for (const watcher of watchers) watcher.call.end();
      watchers.clear();
    },
  };
}
