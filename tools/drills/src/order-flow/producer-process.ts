import { fileURLToPath } from "node:url";
import { type RunningEntryPoint, spawnEntryPoint } from "@switchyard/testing";

const orderServiceMain = fileURLToPath(
  new URL("../../../../services/order-service/src/main.ts", import.meta.url),
);

/** order-service as its own process, started the way the devstack starts it (main.ts, env). */
export interface ProducerProcess {
  pid(): number | undefined;
  /** SIGKILL: no shutdown hook runs, in-flight transactions and publishes are cut. */
  kill(): Promise<void>;
  /** Starts it again with the same env (same port, database, NATS) and waits until it listens. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export async function startProducerProcess(env: Record<string, string>): Promise<ProducerProcess> {
  const launch = () =>
    spawnEntryPoint({
      entry: orderServiceMain,
      env: { PATH: process.env.PATH, LOG_LEVEL: "info", ...env },
      readyLine: "gRPC server listening",
      timeoutMs: 60_000,
    });
  let running: RunningEntryPoint | undefined = await launch();
  return {
    pid: () => running?.child.pid,
    async kill() {
      await running?.stop("SIGKILL");
      running = undefined;
    },
    async restart() {
      running = await launch();
    },
    async stop() {
      await running?.stop("SIGTERM", 10_000);
      running = undefined;
    },
  };
}
