import { spawn } from "node:child_process";
import { announcedPort } from "./announced-port.js";
import { callgrindCommand, countedNodeFlags } from "./callgrind.js";
import { nodeScriptArgs } from "./node-script-args.js";
import { stopChild } from "./stop-child.js";

/** BENCH_CPU_PROF_DIR=<dir>: every child process writes a V8 CPU profile there when it stops. */
const profileArgs =
  process.env.BENCH_CPU_PROF_DIR === undefined
    ? []
    : ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_CPU_PROF_DIR}`];

/** Set by `runBenchChildrenUnderCallgrind` (bench:edge --instructions). */
let underCallgrind = false;

/**
 * Every child started from now on runs under valgrind's callgrind (`callgrind.ts`), so its
 * instructions can be counted; start-up is slower there, so each is given minutes to listen.
 */
export function runBenchChildrenUnderCallgrind(): void {
  underCallgrind = true;
}

/** A benchmark process of its own, listening. */
export interface BenchChild {
  port: number;
  pid: number | undefined;
  /** SIGTERM, then SIGKILL if it has not exited within the kill delay. */
  stop(): Promise<void>;
}

/**
 * Runs `script` (a module beside this one, e.g. "security-pair-process") as a process of its own
 * with `env` added and resolves once it announces its port; if it exits or says nothing first,
 * stops it and rejects naming `label`. `killAfterMs`: how long a stop waits before SIGKILL.
 */
export async function startBenchChild(
  script: string,
  env: Record<string, string>,
  label: string,
  killAfterMs = 5_000,
): Promise<BenchChild> {
  const nodeArgs = [...profileArgs, ...nodeScriptArgs(import.meta.url, script)];
  const [command, ...args] = underCallgrind
    ? [...callgrindCommand, process.execPath, ...countedNodeFlags, ...nodeArgs]
    : [process.execPath, ...nodeArgs];
  const child = spawn(command as string, args, {
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const stop = () => stopChild(child, killAfterMs);
  try {
    const startWithinMs = underCallgrind ? 300_000 : 30_000;
    return { port: await announcedPort(child, label, startWithinMs), pid: child.pid, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
