import { type ChildProcess, spawn } from "node:child_process";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { guardAgainstOrphan, type OrphanGuard, probeNats } from "@switchyard/local-infra";
import { type NatsNodeSettings, natsNodeConfig } from "./nats-node-config.js";

/** One nats-server process of a local cluster, which can be killed and started again. */
export interface NatsClusterNode {
  readonly name: string;
  /** nats://127.0.0.1:<client port> */
  readonly url: string;
  /** Holds its configuration and JetStream store; removed when the cluster stops. */
  readonly directory: string;
  /** The running process's id, undefined while the node is down. */
  readonly pid: number | undefined;
  /** (Re)starts the server on the same ports and store; resolves once it accepts clients. */
  start(): Promise<void>;
  /** SIGKILL, as a crash would: no shutdown, no flush. Resolves once the process is gone. */
  kill(): Promise<void>;
  /** SIGTERM (SIGKILL after 5 s); resolves once the process is gone. */
  stop(): Promise<void>;
  /** The server's last log lines, for error messages. */
  recentLog(): string;
}

const keptLogLines = 40;

/**
 * Writes the node's configuration into `directory` (its own, which also holds the store) and
 * returns a handle; nothing runs until start(). While running, an orphan guard stops the
 * server and removes `directory` if this process dies without stopping it.
 */
export async function createNatsClusterNode(options: {
  binary: string;
  directory: string;
  settings: NatsNodeSettings;
  readyTimeoutMs?: number;
}): Promise<NatsClusterNode> {
  const { binary, directory, settings } = options;
  const configPath = join(directory, "nats-server.conf");
  await writeFile(configPath, natsNodeConfig(settings));
  const log: string[] = [];
  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();
  let guard: OrphanGuard | undefined;

  const recentLog = () => log.join("\n");
  const isRunning = () =>
    child !== undefined && child.exitCode === null && child.signalCode === null;

  async function end(signal: "SIGKILL" | "SIGTERM"): Promise<void> {
    guard?.disarm();
    guard = undefined;
    const running = child;
    if (running === undefined || !isRunning()) return;
    // Unref'd while running; waiting for its exit must keep this process alive.
    running.ref();
    running.kill(signal);
    const escalation = setTimeout(() => running.kill("SIGKILL"), 5_000);
    await exited;
    clearTimeout(escalation);
  }

  return {
    name: settings.name,
    url: `nats://127.0.0.1:${settings.clientPort}`,
    directory,
    get pid() {
      return isRunning() ? child?.pid : undefined;
    },
    recentLog,
    async start() {
      if (isRunning()) throw new Error(`nats node ${settings.name} is already running`);
      const started = spawn(binary, ["-c", configPath], { stdio: ["ignore", "ignore", "pipe"] });
      child = started;
      exited = new Promise((resolve) => started.once("exit", () => resolve()));
      let spawnFailure: Error | undefined;
      started.once("error", (error) => {
        spawnFailure = error;
      });
      started.stderr?.setEncoding("utf8");
      // Always drained: a full pipe would block the server.
      started.stderr?.on("data", (chunk: string) => {
        log.push(...chunk.trimEnd().split("\n"));
        log.splice(0, Math.max(0, log.length - keptLogLines));
      });
      const timeoutMs = options.readyTimeoutMs ?? 15_000;
      const deadline = Date.now() + timeoutMs;
      while (!(await probeNats("127.0.0.1", settings.clientPort, 500))) {
        if (spawnFailure) throw new Error(`nats: could not run ${binary}: ${spawnFailure.message}`);
        if (!isRunning()) {
          throw new Error(
            `nats node ${settings.name} exited before accepting clients:\n${recentLog()}`,
          );
        }
        if (Date.now() > deadline) {
          await end("SIGKILL");
          throw new Error(
            `nats node ${settings.name} did not accept clients within ${timeoutMs} ms:\n${recentLog()}`,
          );
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      guard = guardAgainstOrphan({
        pid: started.pid ?? 0,
        signal: "TERM",
        removePaths: [directory],
      });
      // The owner stops it; until then it must not keep this process alive on its own.
      started.unref();
      (started.stderr as { unref?: () => void } | null)?.unref?.();
    },
    kill: () => end("SIGKILL"),
    stop: () => end("SIGTERM"),
  };
}
