import { execFile } from "node:child_process";
import { promisify } from "node:util";

const run = promisify(execFile);

/**
 * valgrind's callgrind counts the instructions a process executes — the same count for the
 * same work whatever else the machine is doing, where CPU seconds and req/s on a shared 2-core
 * machine scatter by ±30% between rounds. The benchmark's own processes are started under it
 * with instrumentation off (start-up and warm-up run at valgrind's uninstrumented speed), then
 * `callgrind_control` turns counting on, zeroes it before a round and reads it after.
 */
export const callgrindCommand = [
  "valgrind",
  "--tool=callgrind",
  "--instr-atstart=no",
  // Nothing is dumped: the counts are read live (`-e`); the dump at exit goes nowhere.
  "--callgrind-out-file=/dev/null",
];

/**
 * Node flags of a counted process. V8's memory reducer starts full garbage collections when a
 * process goes quiet (8 s after its allocation rate drops); under steady load it never does,
 * but a counted row's processes idle while the other rows run, and a reducer's collection
 * landing in a round would be counted as request work (seen: ±20% between rounds).
 */
export const countedNodeFlags = ["--no-memory-reducer"];

/** Throws naming what to install when valgrind (with callgrind_control) is missing. */
export async function requireCallgrind(): Promise<void> {
  try {
    await run("valgrind", ["--version"]);
    await run("callgrind_control", ["--version"]);
  } catch {
    throw new Error(
      "--instructions counts with valgrind's callgrind, which is not installed: apt-get install -y valgrind",
    );
  }
}

/** Turns instruction counting on in `pids` (started under `callgrindCommand`). */
export async function startCounting(pids: readonly number[]): Promise<void> {
  await Promise.all(pids.map((pid) => control(pid, "--instr=on")));
}

/** Sets the counts of `pids` to zero. */
export async function zeroCounts(pids: readonly number[]): Promise<void> {
  await Promise.all(pids.map((pid) => control(pid, "--zero")));
}

/** Instructions `pid` executed since its last zero, every thread (main, GC, compiler, libuv). */
export async function countedInstructions(pid: number): Promise<number> {
  return instructionsFromEvents(await control(pid, "-e"));
}

/**
 * The total of `callgrind_control -e` output: one "Th N  count" line per thread under
 * "Totals: Ir". Throws when there is none (the process is not under callgrind, or gone).
 */
export function instructionsFromEvents(output: string): number {
  const perThread = [...output.matchAll(/^\s*Th\s+\d+\s+([\d,]+)\s*$/gm)].map((match) =>
    Number((match[1] ?? "").replaceAll(",", "")),
  );
  if (perThread.length === 0) {
    throw new Error(`no instruction counts in callgrind_control's answer:\n${output}`);
  }
  return perThread.reduce((sum, count) => sum + count, 0);
}

async function control(pid: number, command: string): Promise<string> {
  const { stdout } = await run("callgrind_control", [command, String(pid)]);
  return stdout;
}
