import type { Measurement } from "../drill.js";
import type { TrafficSample } from "./mixed-traffic.js";

export interface RestartRecord {
  component: string;
  replica: number;
  /** SIGTERM sent → replacement ready (in rotation for gateways). */
  from: number;
  until: number;
  drainedMs: number;
  exitCode: number | null;
  /** When it exited non-zero: its last error lines (what failed in its shutdown). */
  shutdownErrors?: string;
}

/**
 * The rollout promise: every planned restart happened, every terminated replica shut down
 * cleanly (exit 0), and not one request of the mix failed. Latency during restarts and the
 * failures by code are reported beside it.
 */
export function rolloutMeasurements(input: {
  plannedRestarts: number;
  restarts: RestartRecord[];
  samples: readonly TrafficSample[];
  drainDelayMs: number;
}): Measurement[] {
  const { restarts, samples } = input;
  const during = samples.filter((sample) =>
    restarts.some(
      (restart) => sample.startedAt >= restart.from && sample.startedAt <= restart.until,
    ),
  );
  const duringSet = new Set(during);
  const failed = samples.filter((sample) => sample.code !== "ok");
  const uncleanExits = restarts.filter((restart) => restart.exitCode !== 0);
  const degraded = samples.filter((sample) => sample.degraded).length;
  const dashboards = samples.filter((sample) => sample.kind === "dashboard").length;
  return [
    { name: "drain delay", value: `${input.drainDelayMs} ms` },
    {
      name: "rolling restarts (SIGTERM → replacement ready)",
      value: restarts.length,
      required: `= ${input.plannedRestarts}`,
      holds: restarts.length === input.plannedRestarts,
    },
    {
      name: "replicas that exited non-zero after SIGTERM",
      value: uncleanExits.length,
      required: "= 0",
      holds: uncleanExits.length === 0,
    },
    ...(uncleanExits.length === 0
      ? []
      : [
          {
            name: "  why",
            value: uncleanExits
              .map(
                (restart) =>
                  `${restart.component}#${restart.replica} exit ${restart.exitCode}: ${restart.shutdownErrors ?? "no error logged"}`,
              )
              .join("; "),
          },
        ]),
    { name: "requests through the gateways", value: samples.length },
    { name: "  by kind", value: countBy(samples, (sample) => sample.kind) },
    { name: "requests started during restarts", value: during.length },
    {
      name: "failed requests",
      value: failed.length,
      required: "= 0",
      holds: failed.length === 0,
    },
    { name: "  failed by code", value: countBy(failed, (sample) => sample.code) },
    { name: "  failed by kind", value: countBy(failed, (sample) => sample.kind) },
    ...(failed.length === 0
      ? []
      : [{ name: "  first failures", value: firstFailures(failed, samples[0]?.startedAt ?? 0) }]),
    { name: "dashboards answered with a degraded section", value: `${degraded} of ${dashboards}` },
    { name: "p99 latency during restarts", value: percentileText(during, 0.99) },
    { name: "p50 latency during restarts", value: percentileText(during, 0.5) },
    {
      name: "p99 latency outside restarts",
      value: percentileText(
        samples.filter((sample) => !duringSet.has(sample)),
        0.99,
      ),
    },
    {
      name: "SIGTERM → exited (delay + drain), max",
      value: `${(Math.max(0, ...restarts.map((restart) => restart.drainedMs)) / 1000).toFixed(1)} s`,
    },
  ];
}

/** "none", or "deadline_exceeded 3, unavailable 1": the failures so far, by code. */
export function failuresByCode(samples: readonly TrafficSample[]): string {
  return countBy(
    samples.filter((sample) => sample.code !== "ok"),
    (sample) => sample.code,
  );
}

/** Up to three failures with when (from the first request), what, and what was answered. */
function firstFailures(failed: readonly TrafficSample[], zero: number): string {
  return failed
    .slice(0, 3)
    .map(
      (sample) =>
        `${sample.kind} at +${((sample.startedAt - zero) / 1000).toFixed(1)} s after ${sample.ms} ms: ${sample.code} (${sample.detail ?? "no detail"})`,
    )
    .join("; ");
}

function percentileText(samples: readonly TrafficSample[], quantile: number): string {
  if (samples.length === 0) return "no samples";
  const sorted = samples.map((sample) => sample.ms).sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.ceil(quantile * sorted.length) - 1);
  return `${sorted[Math.max(0, index)]} ms`;
}

function countBy<T>(items: readonly T[], key: (item: T) => string): string {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  const parts = [...counts].sort(([, a], [, b]) => b - a).map(([name, n]) => `${name} ${n}`);
  return parts.length === 0 ? "none" : parts.join(", ");
}
