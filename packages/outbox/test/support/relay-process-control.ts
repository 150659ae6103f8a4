import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

const entry = fileURLToPath(new URL("./relay-process.ts", import.meta.url));

export interface RelayProcess {
  pid: number;
  /** Resolves when the relay has started (its `relay ready` line). */
  ready: Promise<void>;
  /** SIGKILL: no cleanup, no graceful stop, exactly like a crashed pod. */
  kill(): Promise<void>;
  /** SIGTERM and wait for exit. */
  stop(): Promise<void>;
}

/** Starts relay-process.ts (TypeScript sources, via tsx) in a child process. */
export function spawnRelayProcess(env: {
  DATABASE_URL: string;
  NATS_URL: string;
  EVENTS_NAMESPACE: string;
  RELAY_BATCH_SIZE?: string;
}): RelayProcess {
  const child = spawn(
    process.execPath,
    ["--conditions=switchyard-source", "--import", "tsx", entry],
    { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] },
  );
  const stderr: string[] = [];
  child.stderr?.setEncoding("utf8").on("data", (chunk: string) => stderr.push(chunk));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout?.setEncoding("utf8").on("data", (chunk: string) => {
      if (chunk.includes("relay ready")) resolve();
    });
    child.once("exit", (code, signal) =>
      reject(
        new Error(`relay process exited (${code ?? signal}) before ready: ${stderr.join("")}`),
      ),
    );
  });
  ready.catch(() => {}); // a kill before ready is expected; callers await `ready` when they care
  const signal = async (name: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(name);
    await exited;
  };
  return {
    pid: child.pid as number,
    ready,
    kill: () => signal("SIGKILL"),
    stop: () => signal("SIGTERM"),
  };
}
