/**
 * A fault drill: does something harmful to a running system on purpose and checks that a
 * promise the system makes still holds. One file per drill under `drills/`, listed in
 * `drill-registry.ts`; `npm run drill -- <name> [--short]` runs it.
 */
export interface Drill {
  name: string;
  /** The promise under test, one sentence (printed in the list and above the verdict). */
  promise: string;
  /** What the full run does and what it needs, one or two sentences. */
  description: string;
  /** Numeric options the drill reads (`--<name> <number>`), with what each sets. */
  options?: Record<string, string>;
  /** Imports the drill's runner only when it runs, so listing drills stays instant. */
  load(): Promise<DrillRunner>;
}

export type DrillRunner = (context: DrillContext) => Promise<DrillVerdict>;

export interface DrillContext {
  /** The short version: fewer rounds and requests, bounded for `npm test`. */
  short: boolean;
  /** The `--<name> <number>` options given, only names the drill declared (default: none). */
  options?: Readonly<Record<string, string>>;
  /** One line of progress (the command prints it with the elapsed time). */
  progress(line: string): void;
  /** The elapsed time on the same clock as the progress lines, e.g. "12.3 s" (for actions). */
  elapsed(): string;
  /** Aborted on SIGINT/SIGTERM: stop, clean up what the drill started, and throw its reason. */
  signal: AbortSignal;
}

/** One line of the verdict table. */
export interface Measurement {
  name: string;
  value: string | number;
  /** What the promise requires, e.g. "= 0" or "= orders placed"; absent for context lines. */
  required?: string;
  /** Whether the requirement held; absent for context lines. */
  holds?: boolean;
}

/** What a drill did and measured; it passed when every measurement with a requirement holds. */
export interface DrillVerdict {
  drill: string;
  /** What was done to the system, in order (e.g. "SIGKILL n2 (stream leader) at 4.1 s"). */
  actions: string[];
  measurements: Measurement[];
}

export function drillPassed(verdict: DrillVerdict): boolean {
  return verdict.measurements.every((measurement) => measurement.holds !== false);
}
