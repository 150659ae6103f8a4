import { type RunningEntryPoint, spawnEntryPoint } from "@switchyard/testing";

/** One component run as N processes on N ports, as the devstack runs replicas. */
export interface ReplicaSet {
  name: string;
  ports: number[];
  /** "ipv4:127.0.0.1:<p1>,127.0.0.1:<p2>": a topology target naming every replica. */
  target: string;
  pid(replica: number): number | undefined;
  /**
   * A rolling-update step for one replica: SIGTERM, wait for the process to exit (its drain),
   * start the replacement on the same port and wait until it listens.
   */
  restart(replica: number): Promise<ReplicaRestart>;
  stopAll(): Promise<void>;
}

export interface ReplicaRestart {
  /** SIGTERM → exited: the drain delay plus the drain. */
  drainedMs: number;
  /** SIGTERM → the replacement listens. */
  replacedMs: number;
  /** The terminated process's exit code (0 after a clean ordered shutdown). */
  exitCode: number | null;
  /** When it exited non-zero: its last warning and error log lines. */
  shutdownErrors?: string;
}

export interface ReplicaSetOptions {
  name: string;
  /** A TypeScript entry point (src/main.ts), run with tsx as the drills run processes. */
  entry: string;
  ports: number[];
  /** The environment of the replica listening on `port`. */
  env(port: number): Record<string, string>;
  /** After SIGTERM, SIGKILL once this much time has passed. */
  killAfterMs: number;
}

/** Starts every replica (one after the other: they share migrations) and waits until each listens. */
export async function startReplicaSet(options: ReplicaSetOptions): Promise<ReplicaSet> {
  const launch = (port: number) =>
    spawnEntryPoint({
      entry: options.entry,
      env: { LOG_LEVEL: "info", ...options.env(port) },
      readyLine: `"${options.name} listening"`,
      timeoutMs: 240_000,
    });
  const running: (RunningEntryPoint | undefined)[] = [];
  try {
    for (const port of options.ports) running.push(await launch(port));
  } catch (error) {
    await Promise.all(running.map((replica) => replica?.stop("SIGKILL")));
    throw error;
  }
  return {
    name: options.name,
    ports: options.ports,
    target: `ipv4:${options.ports.map((port) => `127.0.0.1:${port}`).join(",")}`,
    pid: (replica) => running[replica]?.child.pid,
    async restart(replica) {
      const port = options.ports[replica];
      const current = running[replica];
      if (port === undefined || current === undefined) {
        throw new Error(`${options.name} has no running replica ${replica}`);
      }
      const startedAt = Date.now();
      const exitCode = await current.stop("SIGTERM", options.killAfterMs);
      running[replica] = undefined;
      const drainedMs = Date.now() - startedAt;
      running[replica] = await launch(port);
      return {
        drainedMs,
        replacedMs: Date.now() - startedAt,
        exitCode,
        ...(exitCode === 0 ? {} : { shutdownErrors: lastProblemLines(current.output()) }),
      };
    },
    async stopAll() {
      await Promise.all(running.map((replica) => replica?.stop("SIGTERM", options.killAfterMs)));
    },
  };
}

/** The last three warning or error lines of a process's log (pino levels 40+, or plain text). */
function lastProblemLines(output: string): string {
  const problems = output
    .split("\n")
    .filter((line) => /"level":(4|5|6)0/.test(line) || /error|exception/i.test(line));
  return problems.slice(-3).join(" / ").slice(0, 600) || "nothing logged";
}
