import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

const entry = fileURLToPath(new URL("./projection-consumer-process.ts", import.meta.url));

export interface ConsumerProcess {
  /** Resolves once the consumers have started (its `consumers ready` line). */
  ready: Promise<void>;
  /** SIGKILL: no cleanup, no ack of what is in hand, exactly like a crashed pod. */
  kill(): Promise<void>;
}

/** Starts projection-consumer-process.ts (TypeScript sources, via tsx) in a child process. */
export function spawnProjectionConsumers(env: {
  DATABASE_URL: string;
  NATS_URL: string;
  EVENTS_NAMESPACE: string;
}): ConsumerProcess {
  const child = spawn(
    process.execPath,
    ["--conditions=switchyard-source", "--import", "tsx", entry],
    {
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  const stderr: string[] = [];
  child.stderr?.setEncoding("utf8").on("data", (chunk: string) => stderr.push(chunk));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout?.setEncoding("utf8").on("data", (chunk: string) => {
      if (chunk.includes("consumers ready")) resolve();
    });
    child.once("exit", (code, signal) =>
      reject(
        new Error(`consumer process exited (${code ?? signal}) before ready: ${stderr.join("")}`),
      ),
    );
  });
  ready.catch(() => {});
  return {
    ready,
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      await exited;
    },
  };
}
