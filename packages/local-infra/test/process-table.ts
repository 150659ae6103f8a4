import { readdirSync, readFileSync } from "node:fs";

/** PIDs of live processes whose command line contains every given argument. */
export function processesWithArguments(...needles: string[]): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    let commandLine: string[];
    try {
      commandLine = readFileSync(`/proc/${entry}/cmdline`, "utf8").split("\0");
    } catch {
      continue;
    }
    if (needles.every((needle) => commandLine.includes(needle))) pids.push(Number(entry));
  }
  return pids;
}
