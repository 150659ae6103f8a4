/** What one node of a local JetStream cluster needs to know. */
export interface NatsNodeSettings {
  /** Unique in the cluster; JetStream reports leaders and replicas by this name. */
  name: string;
  clusterName: string;
  clientPort: number;
  clusterPort: number;
  storeDir: string;
  /** Route ports of every node of the cluster (its own is allowed: the server skips it). */
  routePorts: readonly number[];
  /** fsync every write before the ack (`sync_interval: always`, nats-server 2.10+ only). */
  syncAlways: boolean;
}

/**
 * The nats-server configuration file of one cluster node: JetStream with its own store, routes
 * to every node, loopback only. Small memory limit: the drill streams are file-backed.
 */
export function natsNodeConfig(settings: NatsNodeSettings): string {
  const routes = settings.routePorts.map((port) => `nats-route://127.0.0.1:${port}`).join(", ");
  return [
    `server_name: ${JSON.stringify(settings.name)}`,
    `listen: "127.0.0.1:${settings.clientPort}"`,
    "jetstream {",
    `  store_dir: ${JSON.stringify(settings.storeDir)}`,
    "  max_memory_store: 64MB",
    "  max_file_store: 1GB",
    ...(settings.syncAlways ? ["  sync_interval: always"] : []),
    "}",
    "cluster {",
    `  name: ${JSON.stringify(settings.clusterName)}`,
    `  listen: "127.0.0.1:${settings.clusterPort}"`,
    `  routes: [${routes}]`,
    "}",
    "",
  ].join("\n");
}
