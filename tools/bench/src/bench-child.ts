import { spawn } from "node:child_process";
import { announcedPort } from "./announced-port.js";
import { nodeScriptArgs } from "./node-script-args.js";
import { stopChild } from "./stop-child.js";

/** BENCH_CPU_PROF_DIR=<dir>: every child process writes a V8 CPU profile there when it stops. */
const profileArgs =
  process.env.BENCH_CPU_PROF_DIR === undefined
    ? []
    : ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_CPU_PROF_DIR}`];

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
  const child = spawn(
    process.execPath,
    [...profileArgs, ...nodeScriptArgs(import.meta.url, script)],
    { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] },
  );
  const stop = () => stopChild(child, killAfterMs);
  try {
    return { port: await announcedPort(child, label), pid: child.pid, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
