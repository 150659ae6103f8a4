import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { jetstreamManager } from "@nats-io/jetstream";
import { connect } from "@nats-io/transport-node";
import { findFreePort, findNatsServerBinary } from "@switchyard/local-infra";
import { createNatsClusterNode, type NatsClusterNode } from "./nats-cluster-node.js";
import { type NatsServerVersion, natsServerVersion } from "./nats-server-version.js";

/** A JetStream cluster of local nats-server processes, each with its own ports and store. */
export interface NatsCluster {
  readonly nodes: readonly NatsClusterNode[];
  /** Every node's URL, comma-separated: the NATS_URL form services accept. */
  readonly url: string;
  readonly servers: readonly string[];
  readonly version: NatsServerVersion;
  /** The node with this server name (n1, n2, …); throws for an unknown name. */
  node(name: string): NatsClusterNode;
  /** Stops every node still running and removes every store. */
  stop(): Promise<void>;
}

interface ClusterOptions {
  size?: number;
  binary?: string;
  readyTimeoutMs?: number;
}

/** Attempts when a node finds a port taken (another process bound it since it was free). */
const portAttempts = 3;

/**
 * Starts `size` (default 3) nats-server processes routed to each other on free loopback ports
 * and waits until JetStream answers (a metadata leader is elected). Stores are fsynced on every
 * write when the binary supports it (2.10+). If anything fails, whatever started is stopped; a
 * port taken between choosing and binding it is retried with new ports.
 */
export async function startNatsCluster(options: ClusterOptions = {}): Promise<NatsCluster> {
  const binary = options.binary ?? findNatsServerBinary();
  if (!binary) throw new Error("nats: nats-server was not found on PATH or in /usr/sbin");
  const version = await natsServerVersion(binary);
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(binary, version, options);
    } catch (error) {
      const portTaken = (error as Error).message.includes("address already in use");
      if (!portTaken || attempt >= portAttempts) throw error;
    }
  }
}

async function startOnce(
  binary: string,
  version: NatsServerVersion,
  options: ClusterOptions,
): Promise<NatsCluster> {
  const size = options.size ?? 3;
  const clusterName = `switchyard-drill-${process.pid}-${Date.now().toString(36)}`;
  const ports = [];
  for (let index = 0; index < size; index++) {
    ports.push({ client: await findFreePort(), cluster: await findFreePort() });
  }
  const directories: string[] = [];
  const nodes: NatsClusterNode[] = [];
  const stop = async () => {
    await Promise.allSettled(nodes.map((node) => node.stop()));
    await Promise.all(directories.map((path) => rm(path, { recursive: true, force: true })));
  };
  try {
    for (const [index, port] of ports.entries()) {
      const name = `n${index + 1}`;
      const directory = await mkdtemp(join(tmpdir(), `switchyard-drill-nats-${name}-`));
      directories.push(directory);
      nodes.push(
        await createNatsClusterNode({
          binary,
          directory,
          settings: {
            name,
            clusterName,
            clientPort: port.client,
            clusterPort: port.cluster,
            storeDir: join(directory, "jetstream"),
            routePorts: ports.map((other) => other.cluster),
            syncAlways: version.supportsSyncAlways,
          },
          ...(options.readyTimeoutMs === undefined
            ? {}
            : { readyTimeoutMs: options.readyTimeoutMs }),
        }),
      );
    }
    await Promise.all(nodes.map((node) => node.start()));
    const servers = nodes.map((node) => node.url);
    await waitForJetStream(servers, options.readyTimeoutMs ?? 30_000);
    return {
      nodes,
      servers,
      url: servers.join(","),
      version,
      node(name) {
        const found = nodes.find((node) => node.name === name);
        if (!found)
          throw new Error(`no nats node named ${name} (have ${nodes.map((n) => n.name)})`);
        return found;
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** JetStream answers only once the nodes have routed and elected a metadata leader. */
async function waitForJetStream(servers: readonly string[], timeoutMs: number): Promise<void> {
  const connection = await connect({ servers: [...servers], timeout: timeoutMs });
  try {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      try {
        await (await jetstreamManager(connection, { timeout: 2_000 })).getAccountInfo();
        return;
      } catch (error) {
        if (Date.now() > deadline) {
          throw new Error(
            `nats cluster: JetStream did not answer within ${timeoutMs} ms: ${(error as Error).message}`,
          );
        }
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    }
  } finally {
    await connection.close();
  }
}
