import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { findFreePort, type NatsHandle, resolveNats } from "@switchyard/local-infra";

/** A nats-server only this drill uses: stopped and started again on the same store and port. */
export interface BrokerUnderDrill {
  url: string;
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Stops it for good and removes its store. */
  remove(): Promise<void>;
}

/**
 * `nats-server -js` from PATH (`@switchyard/local-infra`; never the machine's shared
 * 127.0.0.1:4222) on a free port with its own store directory, kept across a restart.
 */
export async function startBrokerUnderDrill(): Promise<BrokerUnderDrill> {
  const directory = await mkdtemp(join(tmpdir(), "switchyard-drill-nats-"));
  const port = await findFreePort();
  const launch = () =>
    resolveNats({ storeDir: join(directory, "store"), port, persistent: true, probeLocal: false });
  let handle: NatsHandle | undefined = await launch();
  return {
    url: handle.url,
    async stop() {
      await handle?.stop();
      handle = undefined;
    },
    async start() {
      handle = await launch();
    },
    async remove() {
      await handle?.stop();
      handle = undefined;
      await rm(directory, { recursive: true, force: true });
    },
  };
}
