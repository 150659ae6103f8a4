import { startNatsCluster } from "../../src/nats-cluster/start-nats-cluster.js";

// A process that starts a cluster and never stops it: the orphan test SIGKILLs this process
// and checks that the cluster's servers and stores go with it.
const cluster = await startNatsCluster();
process.stdout.write(
  `${JSON.stringify({
    pids: cluster.nodes.map((node) => node.pid),
    directories: cluster.nodes.map((node) => node.directory),
  })}\n`,
);
setInterval(() => {}, 60_000);
