import { meshWorkloads } from "@switchyard/access-policy";
import { linkerdIdentityOf } from "@switchyard/workload-identity";
import { objectName, ofKind, workloads } from "../manifest.js";
import { type DeploymentCheck, findingsOf } from "./check.js";

/** Workloads that run in the mesh without an identity in the access policy, and why. */
const infrastructureServiceAccounts = new Set([
  // The NATS servers: clients only, they call no Switchyard service.
  "nats",
]);

/**
 * A pod's mesh identity is its ServiceAccount: every Switchyard Deployment runs as a
 * ServiceAccount named like a workload of the access policy (`meshWorkloads`), every workload of
 * the access policy has one, and every identity a MeshTLSAuthentication names belongs to a
 * rendered ServiceAccount — otherwise the policy grants or expects callers that do not exist.
 */
export const serviceAccountsAreIdentities: DeploymentCheck = {
  id: "service-accounts-are-identities",
  rule: "every ServiceAccount matches an access-policy identity",
  run({ manifests }) {
    const { findings, add } = findingsOf(this.id);
    const known = new Set<string>(meshWorkloads);
    const accounts = new Set(ofKind(manifests, "ServiceAccount").map((sa) => sa.metadata.name));

    for (const account of accounts) {
      if (!known.has(account) && !infrastructureServiceAccounts.has(account)) {
        add(`ServiceAccount/${account}`, "is not a workload of the access policy");
      }
    }
    for (const workload of workloads(manifests)) {
      const account = workload.pod.serviceAccountName;
      const name = objectName(workload.manifest);
      if (!account) {
        add(name, "runs as the namespace's default ServiceAccount (no identity of its own)");
      } else if (!accounts.has(account)) {
        add(name, `runs as ServiceAccount ${account}, which is not rendered`);
      } else if (
        workload.manifest.kind === "Deployment" &&
        account !== workload.manifest.metadata.name
      ) {
        add(name, `runs as ServiceAccount ${account}: a Deployment's identity is its own name`);
      }
    }
    const deployments = new Set(ofKind(manifests, "Deployment").map((d) => d.metadata.name));
    for (const workload of meshWorkloads) {
      if (!deployments.has(workload) || !accounts.has(workload)) {
        add(
          `workload/${workload}`,
          "is in the access policy but has no Deployment and ServiceAccount",
        );
      }
    }
    const identities = new Set([...accounts].map(linkerdIdentityOf));
    for (const authentication of ofKind(manifests, "MeshTLSAuthentication")) {
      for (const identity of (authentication.spec as { identities?: string[] }).identities ?? []) {
        if (identity.startsWith("*.")) continue;
        if (!identities.has(identity)) {
          add(
            objectName(authentication),
            `names ${identity}, which no rendered ServiceAccount has`,
          );
        }
      }
    }
    return findings;
  },
};
