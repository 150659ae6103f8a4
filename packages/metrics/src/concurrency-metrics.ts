import type { MeterProvider } from "@opentelemetry/api";

/** What an adaptive concurrency limit reports (`ConcurrencySnapshot` of @switchyard/rate-limit). */
export interface ConcurrencyReading {
  limit: number;
  inFlight: number;
  /** Calls refused since start. */
  rejections: number;
}

/** What the load shedder records per refused call (the rest is read at collection). */
export interface LoadSheddingRecorder {
  /**
   * One refusal: `seconds` from the call reaching the shedder (its interceptor is entered when
   * grpc-js turns the HTTP/2 stream into a call) to RESOURCE_EXHAUSTED handed to HTTP/2.
   */
  rejected(seconds: number): void;
}

/**
 * The load shedder's instruments. Observable, read at each collection:
 * `switchyard.load_shedding.limit` and `.in_flight` (gauges, calls) and `.rejections` (a counter
 * of calls refused since start).
 * Recorded per refusal: `switchyard.load_shedding.rejection.duration` (s), the server's own time
 * to refuse — what a client sees beyond it is queueing (its own, the network's, the server's
 * event loop before the call is read), not the shedder.
 */
export function observeLoadShedding(
  meterProvider: MeterProvider,
  snapshot: () => ConcurrencyReading,
): LoadSheddingRecorder {
  const meter = meterProvider.getMeter("@switchyard/metrics");
  const limit = meter.createObservableGauge("switchyard.load_shedding.limit", {
    description: "Current adaptive concurrency limit of the load shedder.",
    unit: "{call}",
  });
  const inFlight = meter.createObservableGauge("switchyard.load_shedding.in_flight", {
    description: "Calls holding a slot of the concurrency limit now.",
    unit: "{call}",
  });
  const rejections = meter.createObservableCounter("switchyard.load_shedding.rejections", {
    description: "Calls refused with RESOURCE_EXHAUSTED because the limit was reached.",
    unit: "{call}",
  });
  const rejectionDuration = meter.createHistogram("switchyard.load_shedding.rejection.duration", {
    description:
      "Server time of one refusal: from the call reaching the load shedder to RESOURCE_EXHAUSTED handed to HTTP/2.",
    unit: "s",
  });
  meter.addBatchObservableCallback(
    (result) => {
      const now = snapshot();
      result.observe(limit, now.limit);
      result.observe(inFlight, now.inFlight);
      result.observe(rejections, now.rejections);
    },
    [limit, inFlight, rejections],
  );
  return {
    rejected(seconds) {
      rejectionDuration.record(seconds);
    },
  };
}
