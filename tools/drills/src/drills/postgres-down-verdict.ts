import type { Measurement } from "../drill.js";
import { type CallSample, countByCode } from "../edge-flow/connect-call-load.js";

export interface ReadinessSample {
  at: number;
  ready: boolean;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/**
 * The promise of postgres-down as rows: while the database is down every call fails fast with
 * UNAVAILABLE (no INTERNAL, nothing hung or past the deadline, none slower than `failFastMs`),
 * readiness goes false, and after the restart calls succeed again without restarting the service.
 */
export function postgresDownMeasurements(input: {
  samples: readonly CallSample[];
  readiness: readonly ReadinessSample[];
  stoppedAt: number;
  upAt: number;
  endedAt: number;
  failFastMs: number;
}): Measurement[] {
  const { samples, readiness, stoppedAt, upAt, failFastMs } = input;
  // Calls answered before the stop began; those still open then belong to the outage.
  const before = samples.filter((s) => s.startedAt + s.ms < stoppedAt);
  const during = samples.filter((s) => s.startedAt + s.ms >= stoppedAt && s.startedAt < upAt);
  const after = samples.filter((s) => s.startedAt >= upAt);
  const firstOkAfter = after.find((s) => s.code === "ok");
  const recovered =
    firstOkAfter === undefined ? [] : after.filter((s) => s.startedAt >= firstOkAfter.startedAt);
  const internal = samples.filter(
    (s) => s.code === "internal" || s.code === "unknown" || s.status === 500,
  );
  const hung = samples.filter((s) => s.code === "hung" || s.code === "deadline_exceeded");
  const unavailable = during.filter((s) => s.code === "unavailable");
  const slowestDown = Math.max(0, ...during.map((s) => s.ms));
  const notReady = readiness.find((r) => r.at >= stoppedAt && !r.ready);
  const readyAgain = readiness.find((r) => r.at >= upAt && r.ready);
  return [
    {
      name: "GetUser calls (before / down / after)",
      value: `${samples.length} (${before.length} / ${during.length} / ${after.length})`,
      required: "> 0 while down",
      holds: during.length > 0,
    },
    {
      name: "before the outage, by code",
      value: countByCode(before),
      required: "all ok",
      holds: before.length > 0 && before.every((s) => s.code === "ok"),
    },
    { name: "while down, by code", value: countByCode(during) },
    {
      name: "answered UNAVAILABLE (503) while down",
      value: unavailable.length,
      required: "> 0",
      holds: unavailable.length > 0,
    },
    {
      name: "answered INTERNAL (500), whole run",
      value: internal.length,
      required: "= 0",
      holds: internal.length === 0,
    },
    {
      name: "hung or past the deadline (504), whole run",
      value: hung.length,
      required: "= 0",
      holds: hung.length === 0,
    },
    {
      name: "slowest call while down",
      value: `${slowestDown} ms`,
      required: `≤ ${failFastMs} ms`,
      holds: slowestDown <= failFastMs,
    },
    {
      name: "readiness went false after the stop",
      value: notReady === undefined ? "no" : `yes, after ${seconds(notReady.at - stoppedAt)}`,
      required: "yes",
      holds: notReady !== undefined,
    },
    {
      name: "readiness true again after the start",
      value: readyAgain === undefined ? "no" : `yes, after ${seconds(readyAgain.at - upAt)}`,
      required: "yes",
      holds: readyAgain !== undefined,
    },
    {
      name: "first successful GetUser after the start",
      value:
        firstOkAfter === undefined ? "never" : `after ${seconds(firstOkAfter.startedAt - upAt)}`,
      required: "yes, without a restart",
      holds: firstOkAfter !== undefined,
    },
    {
      name: "failed calls once recovered",
      value: countByCode(recovered.filter((s) => s.code !== "ok")),
      required: "none",
      holds: recovered.every((s) => s.code === "ok"),
    },
    { name: "after the start, by code", value: countByCode(after) },
    { name: "slowest call, whole run", value: `${Math.max(0, ...samples.map((s) => s.ms))} ms` },
  ];
}
