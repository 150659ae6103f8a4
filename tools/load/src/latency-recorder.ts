/** What one operation came to: calls, errors by code, and every latency. */
export interface OperationStats {
  name: string;
  calls: number;
  ok: number;
  /** Connect error code (or "unreachable", "client_timeout") → how many. */
  errors: Map<string, number>;
  latenciesMs: number[];
}

export interface CallRecord {
  ok: boolean;
  /** The error code when not ok. */
  code?: string | undefined;
  latencyMs: number;
}

export interface LatencyRecorder {
  record(operation: string, call: CallRecord): void;
  /** In the order operations were first seen. */
  operations(): OperationStats[];
  totals(): { calls: number; errors: number };
}

/** Collects every call's outcome and latency, per operation name. */
export function createLatencyRecorder(): LatencyRecorder {
  const byName = new Map<string, OperationStats>();
  let calls = 0;
  let errors = 0;
  return {
    record(operation, call) {
      let stats = byName.get(operation);
      if (stats === undefined) {
        stats = { name: operation, calls: 0, ok: 0, errors: new Map(), latenciesMs: [] };
        byName.set(operation, stats);
      }
      stats.calls += 1;
      calls += 1;
      stats.latenciesMs.push(call.latencyMs);
      if (call.ok) {
        stats.ok += 1;
      } else {
        errors += 1;
        const code = call.code ?? "unknown";
        stats.errors.set(code, (stats.errors.get(code) ?? 0) + 1);
      }
    },
    operations: () => [...byName.values()],
    totals: () => ({ calls, errors }),
  };
}

/** The p-th percentile (0 < p <= 100) by nearest rank; NaN for no samples. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1] as number;
}

/** The median of a few numbers (e.g. repeated measurements). */
export function median(values: readonly number[]): number {
  return percentile(values, 50);
}
