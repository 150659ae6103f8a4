import { type ChildProcess, spawn } from "node:child_process";
import { announcedPort } from "./announced-port.js";
import { nodeScriptArgs } from "./node-script-args.js";

/** BENCH_CPU_PROF_DIR=<dir>: every child process writes a V8 CPU profile there when it stops. */
const profileArgs =
  process.env.BENCH_CPU_PROF_DIR === undefined
    ? []
    : ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_CPU_PROF_DIR}`];

/**
 * Runs `script` (a module beside this one, e.g. "security-pair-process") as a process of its own
 * with `env` added, pushes it onto `children` (so it is stopped however the start ends) and
 * resolves with the port it announces; `label` names it in errors.
 */
export function startBenchChild(
  script: string,
  env: Record<string, string>,
  children: ChildProcess[],
  label: string,
): Promise<number> {
  const child = spawn(
    process.execPath,
    [...profileArgs, ...nodeScriptArgs(import.meta.url, script)],
    {
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  children.push(child);
  return announcedPort(child, label);
}
