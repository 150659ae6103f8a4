import type { JourneyTally } from "./customer-journey.js";
import { type OperationStats, percentile } from "./latency-recorder.js";
import { formatMs, formatTable } from "./text-table.js";

/** The end-of-run report: one row per operation, then what the demo checked. */
export function formatDemoSummary(
  operations: OperationStats[],
  tally: JourneyTally,
  elapsedMs: number,
): string {
  const rows = operations.map((stats) => [
    stats.name,
    String(stats.calls),
    String(stats.ok),
    [...stats.errors].map(([code, count]) => `${code}: ${count}`).join(", ") || "-",
    formatMs(percentile(stats.latenciesMs, 50)),
    formatMs(percentile(stats.latenciesMs, 99)),
  ]);
  const calls = operations.reduce((sum, stats) => sum + stats.calls, 0);
  const lines = [
    formatTable(["operation", "calls", "ok", "errors by code", "p50 ms", "p99 ms"], rows),
    "",
    `${calls} calls in ${(elapsedMs / 1000).toFixed(1)} s (${(calls / (elapsedMs / 1000)).toFixed(0)} req/s): ` +
      `${tally.usersRegistered} customers registered, ${tally.ordersPlaced} orders placed.`,
    `idempotent retries: ${tally.retries}, ${
      tally.retriesMismatched === 0
        ? "each answered with the original order"
        : `${tally.retriesMismatched} answered with a DIFFERENT order`
    }.`,
    `deliberately bad requests: ${tally.badRequests}, ${
      tally.badRequestsMisanswered.length === 0
        ? "each rejected with its expected code"
        : `${tally.badRequestsMisanswered.length} answered otherwise:`
    }`,
    ...tally.badRequestsMisanswered.slice(0, 5).map((line) => `  ${line}`),
    `dashboards read through the gateway and web-bff: ${tally.dashboards}, degraded: ${tally.dashboardsDegraded}, ` +
      `missing the order placed just before: ${tally.dashboardsMissingOwnOrder}.`,
    `unexpected errors: ${tally.unexpectedErrors.length}${tally.unexpectedErrors.length > 0 ? ", first ones:" : "."}`,
    ...tally.unexpectedErrors.slice(0, 5).map((line) => `  ${line}`),
  ];
  return lines.join("\n");
}
