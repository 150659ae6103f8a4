import { drillPassed } from "./drill.js";
import { parseDrillArguments } from "./drill-arguments.js";
import { drills, findDrill } from "./drill-registry.js";
import { renderVerdict } from "./verdict-table.js";

/** How `npm run drill` ends: the promise held, was broken, the command was wrong, or the drill could not run. */
export const drillExitCodes = { passed: 0, broken: 1, usage: 2, couldNotRun: 3 } as const;

/**
 * The whole command, minus the process: parses `args`, runs the drill with progress lines on
 * `out`, prints its verdict table, and returns the exit code. `signal` aborts a running drill
 * (it cleans up and reports what it measured).
 */
export async function runDrillCommand(
  args: readonly string[],
  io: { out: (text: string) => void; err: (text: string) => void; signal: AbortSignal },
): Promise<number> {
  const parsed = parseDrillArguments(args);
  if (parsed.kind === "list") {
    io.out(drillList());
    return drillExitCodes.passed;
  }
  if (parsed.kind === "invalid") {
    io.err(`${parsed.problem}\n\n${drillList()}`);
    return drillExitCodes.usage;
  }
  const drill = findDrill(parsed.name);
  if (drill === undefined) {
    io.err(`no drill named ${JSON.stringify(parsed.name)}\n\n${drillList()}`);
    return drillExitCodes.usage;
  }
  const unknown = Object.keys(parsed.options).filter(
    (option) => !(option in (drill.options ?? {})),
  );
  if (unknown.length > 0) {
    io.err(`drill ${drill.name} has no option --${unknown.join(", --")}\n\n${drillList()}`);
    return drillExitCodes.usage;
  }
  const started = performance.now();
  const elapsed = () => `${((performance.now() - started) / 1000).toFixed(1)} s`;
  const progress = (line: string) => io.out(`[${elapsed().padStart(8)}] ${line}\n`);
  io.out(`drill ${drill.name}${parsed.short ? " (short)" : ""}\npromise: ${drill.promise}\n\n`);
  try {
    const run = await drill.load();
    const verdict = await run({
      short: parsed.short,
      options: parsed.options,
      progress,
      elapsed,
      signal: io.signal,
    });
    io.out(`\n${renderVerdict(verdict)}\n`);
    return drillPassed(verdict) ? drillExitCodes.passed : drillExitCodes.broken;
  } catch (error) {
    io.err(`\ndrill ${drill.name} could not run: ${describe(error)}\n`);
    return drillExitCodes.couldNotRun;
  }
}

function drillList(): string {
  const width = Math.max(...drills.map((drill) => drill.name.length));
  return [
    "usage: npm run drill -- <name> [--short] [--<option> <number>]",
    "",
    "drills:",
    ...drills.flatMap((drill) => [
      `  ${drill.name.padEnd(width)}  ${drill.promise}`,
      ...Object.entries(drill.options ?? {}).map(
        ([option, what]) => `  ${"".padEnd(width)}    --${option} <number>: ${what}`,
      ),
    ]),
    "",
  ].join("\n");
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  return error.cause instanceof Error ? `${error.message} (${error.cause.message})` : error.message;
}
