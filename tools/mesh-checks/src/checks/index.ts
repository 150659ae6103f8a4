import type { DeploymentCheck } from "./check.js";
import { dataStoreReachability } from "./data-store-reachability.js";
import { drainOrder } from "./drain-order.js";
import { grpcProbes } from "./grpc-probes.js";
import { linkerdServerPerGrpcPort } from "./linkerd-servers.js";
import { natsDurability } from "./nats-durability.js";
import { networkEdgesMatchAccessPolicy } from "./network-edges.js";
import { nonRoot } from "./non-root.js";
import { pinnedImages } from "./pinned-images.js";
import { productionAvailability } from "./production-availability.js";
import { secretsAsFiles } from "./secrets-as-files.js";
import { serviceAccountsAreIdentities } from "./service-account-identities.js";
import { workloadNamespaceCheck } from "./workload-namespace.js";

export type { DeploymentCheck } from "./check.js";
export { edgesOutsideTheAccessPolicy } from "./network-edges.js";

/** Every deployment rule, in the order findings are reported. */
export const deploymentChecks: DeploymentCheck[] = [
  workloadNamespaceCheck,
  linkerdServerPerGrpcPort,
  serviceAccountsAreIdentities,
  grpcProbes,
  drainOrder,
  nonRoot,
  pinnedImages,
  networkEdgesMatchAccessPolicy,
  dataStoreReachability,
  natsDurability,
  secretsAsFiles,
  productionAvailability,
];
