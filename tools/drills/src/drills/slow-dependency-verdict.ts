import type { Measurement } from "../drill.js";
import { type CallSample, countByCode } from "../edge-flow/connect-call-load.js";

const percentile = (samples: readonly CallSample[], p: number) => {
  const sorted = samples.map((s) => s.ms).sort((a, b) => a - b);
  return sorted.length === 0
    ? 0
    : (sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0);
};
const latency = (samples: readonly CallSample[]) =>
  `p50 ${percentile(samples, 0.5)} ms, p99 ${percentile(samples, 0.99)} ms, max ${Math.max(0, ...samples.map((s) => s.ms))} ms`;

/**
 * The promise of slow-dependency as rows: every dashboard answers 200, none slower than the
 * budget plus the hops, the slow section marked degraded while the dependency is slow, whole
 * again after; calls that do not need the slow dependency neither fail nor slow down.
 */
export function slowDependencyMeasurements(input: {
  dashboards: readonly CallSample[];
  orderReads: readonly CallSample[];
  slowFrom: number;
  slowUntil: number;
  delayMs: number;
  budgetMs: number;
  answerWithinMs: number;
}): Measurement[] {
  const { dashboards, orderReads, slowFrom, slowUntil, answerWithinMs } = input;
  // Calls started in the slow window (plus a delay's worth: connections already slowed).
  const inSlow = (s: CallSample) => s.startedAt >= slowFrom && s.startedAt < slowUntil;
  const slowDashboards = dashboards.filter(inSlow);
  const normalDashboards = dashboards.filter((s) => s.startedAt < slowFrom);
  const afterDashboards = dashboards.filter((s) => s.startedAt >= slowUntil + input.delayMs);
  const degradedWhileSlow = slowDashboards.filter((s) => s.note !== undefined);
  const firstWholeAfter = afterDashboards.find((s) => s.note === undefined);
  const wholeAgain =
    firstWholeAfter !== undefined &&
    afterDashboards
      .filter((s) => s.startedAt >= firstWholeAfter.startedAt)
      .every((s) => s.note === undefined);
  const slowestDashboard = Math.max(0, ...dashboards.map((s) => s.ms));
  const failedDashboards = dashboards.filter((s) => s.code !== "ok");
  const failedReads = orderReads.filter((s) => s.code !== "ok");
  const readsWhileSlow = orderReads.filter(inSlow);
  const readsNormal = orderReads.filter((s) => s.startedAt < slowFrom);
  return [
    {
      name: "dashboards (normal / slow / after)",
      value: `${dashboards.length} (${normalDashboards.length} / ${slowDashboards.length} / ${dashboards.length - normalDashboards.length - slowDashboards.length})`,
      required: "> 0 while slow",
      holds: slowDashboards.length > 0,
    },
    {
      name: "dashboards by code, whole run",
      value: countByCode(dashboards),
      required: "all ok",
      holds: failedDashboards.length === 0,
    },
    {
      name: "slowest dashboard",
      value: `${slowestDashboard} ms`,
      required: `≤ ${answerWithinMs} ms (budget ${input.budgetMs})`,
      holds: slowestDashboard <= answerWithinMs,
    },
    {
      name: "dashboards while slow: degraded (section)",
      value: `${degradedWhileSlow.length} of ${slowDashboards.length} (${[...new Set(degradedWhileSlow.map((s) => s.note))].join(", ") || "none"})`,
      required: "> 0",
      holds: degradedWhileSlow.length > 0,
    },
    {
      name: "dashboards whole again after the delay",
      value:
        firstWholeAfter === undefined
          ? "no"
          : `yes, from ${((firstWholeAfter.startedAt - slowUntil) / 1000).toFixed(1)} s after`,
      required: "yes",
      holds: wholeAgain,
    },
    { name: "dashboard latency (normal)", value: latency(normalDashboards) },
    { name: "dashboard latency (slow)", value: latency(slowDashboards) },
    {
      name: "order reads (ListOrders) by code, whole run",
      value: countByCode(orderReads),
      required: "all ok",
      holds: failedReads.length === 0 && orderReads.length > 0,
    },
    {
      name: "order reads p99 while slow",
      value: `${percentile(readsWhileSlow, 0.99)} ms (normal ${percentile(readsNormal, 0.99)} ms)`,
      required: `≤ ${answerWithinMs} ms`,
      holds: percentile(readsWhileSlow, 0.99) <= answerWithinMs,
    },
  ];
}
