import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

const entry = fileURLToPath(new URL("./cdc-relay-process.ts", import.meta.url));

export interface CdcRelayProcess {
  pid: number;
  /** Resolves when the relay has set up its slot and started (its `relay ready` line). */
  ready: Promise<void>;
  /** SIGKILL: no cleanup, no graceful stop, no final acknowledgement — a crashed pod. */
  kill(): Promise<void>;
}

/** Starts cdc-relay-process.ts (TypeScript sources, via tsx) in a child process. */
export function spawnCdcRelayProcess(env: {
  DATABASE_URL: string;
  NATS_URL: string;
  EVENTS_NAMESPACE: string;
  CDC_PUBLICATION: string;
  CDC_SLOT: string;
  CDC_MAX_IN_FLIGHT?: string;
  CDC_SWEEP_INTERVAL_MS?: string;
}): CdcRelayProcess {
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
        new Error(`CDC relay process exited (${code ?? signal}) before ready: ${stderr.join("")}`),
      ),
    );
  });
  ready.catch(() => {}); // a kill before ready is part of the test
  return {
    pid: child.pid as number,
    ready,
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      await exited;
    },
  };
}
