import { natsHostPort, probeNats } from "./nats-probe.js";
import { findNatsServerBinary, startNatsServer } from "./nats-server-process.js";

/** A NATS server with JetStream; stop() is a no-op unless we started it. */
export interface NatsHandle {
  url: string;
  source: "env" | "local" | "started";
  stop(): Promise<void>;
}

export interface ResolveNatsOptions {
  /** Usually NATS_URL: used when it answers. */
  url?: string;
  /** JetStream store of a server we start. */
  storeDir: string;
  /** false: a server we start has storeDir deleted when it stops. Default true. */
  persistent?: boolean;
  /** Port of a server we start. */
  port: number;
  /** false skips the 127.0.0.1:4222 probe. Default true. */
  probeLocal?: boolean;
  log?: (line: string) => void;
}

export const localNatsUrl = "nats://127.0.0.1:4222";

/**
 * Finds the NATS server to use: the given url if it answers, else 127.0.0.1:4222 if it answers
 * with JetStream enabled, else `nats-server -js` from PATH (or /usr/sbin) started on port with
 * its store in storeDir, else an Error saying how to install it.
 */
export async function resolveNats(options: ResolveNatsOptions): Promise<NatsHandle> {
  const log = options.log ?? (() => {});
  const noop = async () => {};

  if (options.url) {
    const { host, port } = natsHostPort(options.url);
    const info = await probeNats(host, port);
    if (info) {
      if (!info.jetstream) log(`nats: warning: ${options.url} answered without JetStream`);
      log(`nats: using ${options.url} (given URL answered)`);
      return { url: options.url, source: "env", stop: noop };
    }
    log(`nats: ${options.url} did not answer; looking for another server`);
  }

  if (options.probeLocal !== false) {
    const info = await probeNats("127.0.0.1", 4222);
    if (info?.jetstream) {
      log("nats: using 127.0.0.1:4222 (answered, JetStream enabled)");
      return { url: localNatsUrl, source: "local", stop: noop };
    }
    log(
      info
        ? "nats: 127.0.0.1:4222 answered but has JetStream disabled; not using it"
        : "nats: 127.0.0.1:4222 did not answer",
    );
  }

  const binary = findNatsServerBinary();
  if (!binary) {
    throw new Error(
      "nats: no usable NATS server answers and nats-server is not installed. Install it " +
        "(Debian/Ubuntu: sudo apt-get install -y nats-server; others: https://docs.nats.io) " +
        "or set NATS_URL to a reachable server with JetStream enabled.",
    );
  }
  const server = await startNatsServer({
    binary,
    port: options.port,
    storeDir: options.storeDir,
    persistent: options.persistent ?? true,
  });
  log(
    `nats: started ${binary} -js (pid ${server.pid}) on ${server.url}, store in ${options.storeDir}`,
  );
  return { url: server.url, source: "started", stop: () => server.stop() };
}
