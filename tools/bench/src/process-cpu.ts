import { readFileSync } from "node:fs";

// Linux: /proc/<pid>/stat fields 14 and 15 (utime, stime) are in clock ticks, 100 per second
// on every Linux this runs on (USER_HZ).
const ticksPerSecond = 100;

/**
 * CPU time (ms) used so far by the processes `pids` (the benchmark's own gateway and
 * user-service children) — in all and each, in the order given — plus this process (the load
 * generator). On a shared machine CPU per request is far steadier than requests per second: a
 * busy neighbour slows a request down but does not make it cost more CPU (beyond cache effects).
 */
export function cpuMsOf(pids: number[]): {
  serversMs: number;
  perServerMs: number[];
  clientMs: number;
} {
  const perServerMs = pids.map((pid) => (ticksOf(pid) * 1000) / ticksPerSecond);
  const own = process.cpuUsage();
  return {
    serversMs: perServerMs.reduce((sum, ms) => sum + ms, 0),
    perServerMs,
    clientMs: (own.user + own.system) / 1000,
  };
}

/** utime + stime of `pid` in clock ticks; a process that is gone (or not Linux) counts 0. */
function ticksOf(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name (field 2) may hold spaces: split after its closing parenthesis.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return 0;
  }
}
