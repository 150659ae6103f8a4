import { type DrillRunner, type DrillVerdict, drillPassed } from "../../src/drill.js";
import { brokenPromisesLine, renderVerdict } from "../../src/verdict-table.js";

/** A drill's short run, as its test reads it. */
export interface ShortDrillRun {
  verdict: DrillVerdict;
  /**
   * The message of every failed expectation: the broken promises in one line (what a log that
   * keeps only a failure's first lines shows), then the rendered verdict table.
   */
  table: string;
  passed: boolean;
  /** The progress lines the drill printed. */
  progress: string[];
  /** The value of the measurement named `name` (undefined when the drill has none). */
  value(name: string): DrillVerdict["measurements"][number]["value"] | undefined;
}

/**
 * Runs `run` as `npm run drill -- <name> --short [--<option> <number>]` would, keeping its
 * progress lines.
 */
export async function runShortDrill(
  run: DrillRunner,
  options: Record<string, string> = {},
): Promise<ShortDrillRun> {
  const progress: string[] = [];
  const started = Date.now();
  const verdict = await run({
    short: true,
    options,
    progress: (line) => progress.push(line),
    elapsed: () => `${((Date.now() - started) / 1000).toFixed(1)} s`,
    signal: new AbortController().signal,
  });
  return {
    verdict,
    table: `${brokenPromisesLine(verdict)}\n${renderVerdict(verdict)}`,
    passed: drillPassed(verdict),
    progress,
    value: (name) => verdict.measurements.find((measurement) => measurement.name === name)?.value,
  };
}
