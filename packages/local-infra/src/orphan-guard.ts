import { spawn } from "node:child_process";

export interface OrphanGuard {
  /** Call before stopping the process yourself. */
  disarm(): void;
}

// Waits for EOF on stdin, which happens only when the Node process that holds the other end of
// the pipe is gone, then stops the server, waits for it, and removes its files.
const script = [
  "read _ignored",
  'kill "-$2" "$1" 2>/dev/null',
  'while kill -0 "$1" 2>/dev/null; do sleep 0.1; done',
  "shift 2",
  'if [ "$#" -gt 0 ]; then rm -rf "$@"; fi',
].join("; ");

/**
 * Makes sure a server this process started does not outlive it, however it ends: exit, a
 * signal, or SIGKILL (vitest kills its workers; "exit" listeners never run there). A detached
 * `sh` watches a pipe from this process; when the pipe closes it sends `signal` to pid and then
 * removes removePaths, if given.
 */
export function guardAgainstOrphan(options: {
  pid: number;
  signal: "TERM" | "INT";
  removePaths?: readonly string[];
}): OrphanGuard {
  const args = [String(options.pid), options.signal, ...(options.removePaths ?? [])];
  const watchdog = spawn("sh", ["-c", script, "orphan-guard", ...args], {
    stdio: ["pipe", "ignore", "ignore"],
    detached: true,
  });
  watchdog.on("error", () => {});
  // The watchdog must never keep this process alive.
  watchdog.unref();
  (watchdog.stdin as { unref?: () => void } | null)?.unref?.();
  return {
    disarm() {
      watchdog.kill("SIGKILL");
    },
  };
}
