import { formatTable } from "@switchyard/load";
import { countedInstructions, startCounting, zeroCounts } from "./callgrind.js";
import { runClosedLoop } from "./closed-loop.js";
import type { Scenario } from "./edge-scenarios.js";
import { formatPairedRatio, pairedRatio, roundOrder } from "./round-ratios.js";

/**
 * Uncounted requests per row before counting. V8 keeps optimizing for ~10,000 requests through
 * a pair (measured with --trace-opt: ~1,300 optimizations completed per process by then, a handful
 * more per 5,000 after); counted earlier, its compiler thread was 27–33% of every instruction.
 */
const warmupRequests = 15_000;
/**
 * How long a row's count stays open after its last answer: work a request leaves behind (the
 * span batch, sent within 5 s; garbage collection) belongs to the round, not to the next row.
 */
const settleMs = 6_000;
/** How long the processes are counted with no request, to say how much of a count is timers. */
const idleWindowMs = 10_000;

/** One row's counted rounds. */
interface CountedRow {
  scenario: Scenario;
  /** Per round, per server process: instructions counted. */
  counts: number[][];
  /** Per round: requests answered. */
  answered: number[];
  /** Per round: seconds the count was open. */
  seconds: number[];
  errors: number;
}

/**
 * `bench:edge --instructions N`: the rows' server processes run under callgrind (started so by
 * `runBenchChildrenUnderCallgrind`). Every row is warmed up with `warmupRequests` uncounted
 * requests, then each round sends exactly N requests per row (interleaved as the timed rounds)
 * and counts the instructions each of the row's processes executed meanwhile, until 6 s after
 * its last answer (what a request leaves behind — the span batch, garbage — is part of it).
 * A row's number is its instructions over ALL its rounds ÷ its answers: garbage collections
 * come in lumps, and the sum spreads them where a single round's count catches one or none.
 * The processes' timers (health, pool, polling) are in the counts too; they are counted apart
 * with no request and their share printed. Prints the table and `comparisons` as base ÷ row
 * (like the CPU ratios): i/f = 0.93 means tracing costs 7.5% more instructions per request.
 */
export async function runInstructionRounds(
  scenarios: Scenario[],
  options: { requests: number; repeats: number; concurrency: number },
  comparisons: readonly (readonly [row: string, base: string])[],
): Promise<void> {
  const { requests, repeats, concurrency } = options;
  const allPids = [...new Set(scenarios.flatMap((scenario) => scenario.pids ?? []))];
  console.log(
    `bench:edge --instructions — ${concurrency} in flight, ${warmupRequests} requests warm-up per row, then ${repeats} rounds of ${requests} requests per row (interleaved), instructions counted by callgrind`,
  );
  for (const scenario of scenarios) {
    process.stdout.write(`(${scenario.key}) ${scenario.title}: warm-up\n`);
    await runClosedLoop(scenario.call, { concurrency, requests: warmupRequests });
  }
  await startCounting(allPids);
  const rows: CountedRow[] = scenarios.map((scenario) => ({
    scenario,
    counts: [],
    answered: [],
    seconds: [],
    errors: 0,
  }));
  for (let round = 1; round <= repeats; round++) {
    process.stdout.write(`round ${round}:`);
    for (const row of roundOrder(rows, round)) {
      const pids = row.scenario.pids ?? [];
      const started = performance.now();
      await zeroCounts(pids);
      const result = await runClosedLoop(row.scenario.call, { concurrency, requests });
      await sleep(settleMs);
      const counts = await Promise.all(pids.map(countedInstructions));
      row.counts.push(counts);
      row.answered.push(Math.max(1, result.completed));
      row.seconds.push((performance.now() - started) / 1000);
      row.errors += result.errors;
      const perRequest = counts.map((count) => formatMillions(count / requests));
      process.stdout.write(` (${row.scenario.key}) ${perRequest.join(" + ")}`);
      if (result.errors > 0) process.stdout.write(` [${result.errors} errors]`);
    }
    process.stdout.write(" M instructions/request\n");
  }
  printTable(rows, await idleInstructionsPerSecond(allPids));
  printRatios(rows, comparisons, repeats);
}

/** Instructions per second each process executes with no request in flight (after settling). */
async function idleInstructionsPerSecond(pids: number[]): Promise<Map<number, number>> {
  process.stdout.write(`timers: ${idleWindowMs / 1000} s with no request, counted\n`);
  await sleep(settleMs);
  const started = performance.now();
  await zeroCounts(pids);
  await sleep(idleWindowMs);
  const counts = await Promise.all(pids.map(countedInstructions));
  const seconds = (performance.now() - started) / 1000;
  return new Map(pids.map((pid, index) => [pid, (counts[index] ?? 0) / seconds]));
}

const sum = (values: readonly number[]) => values.reduce((total, value) => total + value, 0);

/** Instructions per answered request over every round: each process, and all together. */
function perRequest(row: CountedRow): { byProcess: number[]; total: number } {
  const answered = sum(row.answered);
  const byProcess = (row.counts[0] ?? []).map(
    (_, index) => sum(row.counts.map((counts) => counts[index] ?? 0)) / answered,
  );
  return { byProcess, total: sum(byProcess) };
}

/** Instructions per answered request in each round, all processes together. */
function perRequestByRound(row: CountedRow): number[] {
  return row.counts.map((counts, round) => sum(counts) / (row.answered[round] ?? 1));
}

/** The share of a row's count that its processes' timers would execute in the same seconds. */
function timersShare(row: CountedRow, idlePerSecond: Map<number, number>): number {
  const idleRate = sum((row.scenario.pids ?? []).map((pid) => idlePerSecond.get(pid) ?? 0));
  return (idleRate * sum(row.seconds)) / sum(row.counts.map(sum));
}

function printTable(rows: CountedRow[], idlePerSecond: Map<number, number>): void {
  console.log();
  console.log(
    formatTable(
      [
        "",
        "scenario",
        "M instructions/request",
        "user-service + gateway",
        "per round",
        "timers' share",
        "errors",
      ],
      rows.map((row) => {
        const { byProcess, total } = perRequest(row);
        return [
          `(${row.scenario.key})`,
          row.scenario.title,
          formatMillions(total),
          byProcess.map(formatMillions).join(" + "),
          perRequestByRound(row).map(formatMillions).join(" / "),
          `${(100 * timersShare(row, idlePerSecond)).toFixed(1)}%`,
          String(row.errors),
        ];
      }),
    ),
  );
}

/** "i/f = 0.92 (per round 0.91, 0.88–0.95)": base's instructions per request ÷ the row's. */
function printRatios(
  rows: CountedRow[],
  comparisons: readonly (readonly [string, string])[],
  repeats: number,
): void {
  const byKey = new Map(rows.map((row) => [row.scenario.key, row]));
  console.log();
  console.log("by instructions per request over all rounds (base's ÷ row's):");
  for (const [key, base] of comparisons) {
    const row = byKey.get(key);
    const baseRow = byKey.get(base);
    if (row === undefined || baseRow === undefined) continue;
    // Fewer instructions is faster: base ÷ row, the way round the req/s ratios read. The first
    // number is of the table's values (all rounds), the rest round by round.
    const paired = pairedRatio(perRequestByRound(baseRow), perRequestByRound(row));
    if (paired === undefined) continue;
    const ofTotals = perRequest(baseRow).total / perRequest(row).total;
    console.log(formatPairedRatio(`${key}/${base}`, { ...paired, ofMedians: ofTotals }, repeats));
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function formatMillions(count: number): string {
  return (count / 1e6).toFixed(2);
}
