import { median } from "@switchyard/load";

/**
 * The order of the rows in round `round` (1-based): as given in odd rounds, reversed in even
 * ones. A row always measured right after another (warmer caches, the other row's garbage still
 * being collected) would carry that position into every ratio; alternating cancels it.
 */
export function roundOrder<T>(rows: readonly T[], round: number): T[] {
  return round % 2 === 1 ? [...rows] : [...rows].reverse();
}

/** A ratio two ways: of the rows' medians, and the median of the per-round ratios. */
export interface PairedRatio {
  /** median(row) / median(base): what the table's req/s give. */
  ofMedians: number;
  /** Median over the rounds of row / base in the SAME round. */
  pairedMedian: number;
  /** The smallest and largest per-round ratio. */
  low: number;
  high: number;
}

/**
 * `row / base` from per-round values (req/s of each round, in round order). The per-round ratio
 * compares runs taken seconds apart, so load that drifts over the benchmark cancels out of it;
 * its median is the number to quote on a shared machine. Undefined without a common round.
 */
export function pairedRatio(
  row: readonly number[],
  base: readonly number[],
): PairedRatio | undefined {
  const rounds = Math.min(row.length, base.length);
  const perRound: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const baseValue = base[round] ?? 0;
    if (baseValue > 0) perRound.push((row[round] ?? 0) / baseValue);
  }
  if (perRound.length === 0) return undefined;
  const baseMedian = median(base);
  return {
    ofMedians: baseMedian > 0 ? median(row) / baseMedian : Number.NaN,
    pairedMedian: median(perRound),
    low: Math.min(...perRound),
    high: Math.max(...perRound),
  };
}

/** "i/f = 0.86 (per round: 0.88, 0.79–0.97)"; only the ratio of medians with one round. */
export function formatPairedRatio(name: string, ratio: PairedRatio, rounds: number): string {
  const ofMedians = `${name} = ${ratio.ofMedians.toFixed(2)}`;
  if (rounds < 2) return ofMedians;
  return `${ofMedians} (per round ${ratio.pairedMedian.toFixed(2)}, ${ratio.low.toFixed(2)}–${ratio.high.toFixed(2)})`;
}
