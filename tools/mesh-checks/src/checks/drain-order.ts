import { environmentOf, type Manifest, objectName, ofKind, workloads } from "../manifest.js";
import { type DeploymentCheck, findingsOf } from "./check.js";

const proxyWaitAnnotation = "config.alpha.linkerd.io/proxy-wait-before-exit-seconds";
const defaultTerminationGraceSeconds = 30;

/**
 * Shutdown happens in order or requests fail: on SIGTERM the app keeps serving through its drain
 * delay (preStop sleep, plus a `*_DRAIN_DELAY_MS` key when the app has one) while endpoints and
 * proxies stop sending, then drains in-flight calls for at most SHUTDOWN_GRACE_MS. The Linkerd
 * proxy must outlive all of that (the app still calls NATS and Postgres through it), and the
 * kubelet's grace period must outlive the proxy, or SIGKILL cuts the drain short.
 * Checked on every Deployment: drain delay + drain deadline < proxy wait < grace period.
 */
export const drainOrder: DeploymentCheck = {
  id: "drain-order",
  rule: "drain delay + drain deadline < proxy wait before exit < terminationGracePeriodSeconds",
  run({ manifests }) {
    const { findings, add } = findingsOf(this.id);
    const meshed = namespaceIsMeshed(manifests);
    for (const workload of workloads(manifests)) {
      if (workload.manifest.kind !== "Deployment") continue;
      const name = objectName(workload.manifest);
      const grace = workload.pod.terminationGracePeriodSeconds ?? defaultTerminationGraceSeconds;
      for (const container of workload.pod.containers) {
        const environment = environmentOf(manifests, container);
        const deadlineMs = Number(environment.SHUTDOWN_GRACE_MS ?? Number.NaN);
        if (!Number.isFinite(deadlineMs)) {
          add(name, `container ${container.name} sets no SHUTDOWN_GRACE_MS (its drain deadline)`);
          continue;
        }
        const preStopSleep = container.lifecycle?.preStop?.sleep?.seconds ?? 0;
        const appDelayMs = Object.entries(environment)
          .filter(([key]) => key.endsWith("DRAIN_DELAY_MS"))
          .reduce((total, [, value]) => total + Number(value ?? 0), 0);
        const drainSeconds = preStopSleep + (appDelayMs + deadlineMs) / 1000;
        if (drainSeconds >= grace) {
          add(
            name,
            `drain delay + drain deadline (${drainSeconds} s) is not below terminationGracePeriodSeconds (${grace} s)`,
          );
        }
        if (!meshed || workload.podAnnotations["linkerd.io/inject"] === "disabled") continue;
        const proxyWait = Number(workload.podAnnotations[proxyWaitAnnotation] ?? Number.NaN);
        if (!Number.isFinite(proxyWait)) {
          add(
            name,
            `is meshed but sets no ${proxyWaitAnnotation}: the proxy may exit before the app drained`,
          );
        } else if (proxyWait <= drainSeconds) {
          add(name, `the proxy waits ${proxyWait} s, the app drains for up to ${drainSeconds} s`);
        } else if (proxyWait >= grace) {
          add(
            name,
            `the proxy waits ${proxyWait} s, beyond terminationGracePeriodSeconds (${grace} s)`,
          );
        }
      }
    }
    return findings;
  },
};

function namespaceIsMeshed(manifests: Manifest[]): boolean {
  return ofKind(manifests, "Namespace").some(
    (namespace) => namespace.metadata.annotations?.["linkerd.io/inject"] === "enabled",
  );
}
