import { type Counter, type MeterProvider, metrics } from "@opentelemetry/api";
import { servingHostMeterProvider } from "./rpc/rpc-instruments.js";

/** How one admission decision ended. */
export type RateLimitOutcome = "accepted" | "limited";

/**
 * `switchyard.rate_limit.decisions` — a counter of admission decisions at the gateway by
 * `switchyard.rate_limit.policy` (route class, or "daily") and `switchyard.rate_limit.outcome`.
 * Without a provider it records on the provider of the host serving the call (the admission
 * step runs inside the host's metrics interceptor), else on the global one.
 */
export function rateLimitDecisions(
  meterProvider?: MeterProvider,
): (policy: string, outcome: RateLimitOutcome) => void {
  const counters = new WeakMap<MeterProvider, Counter>();
  return (policy, outcome) => {
    const owner =
      meterProvider ?? servingHostMeterProvider.getStore() ?? metrics.getMeterProvider();
    let counter = counters.get(owner);
    if (counter === undefined) {
      counter = owner
        .getMeter("@switchyard/metrics")
        .createCounter("switchyard.rate_limit.decisions", {
          description: "Admission decisions of the gateway's rate limits and quotas.",
          unit: "{request}",
        });
      counters.set(owner, counter);
    }
    counter.add(1, {
      "switchyard.rate_limit.policy": policy,
      "switchyard.rate_limit.outcome": outcome,
    });
  };
}
