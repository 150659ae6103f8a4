import { AggregationType, InstrumentType, type ViewOptions } from "@opentelemetry/sdk-metrics";

/**
 * Bucket bounds in SECONDS for every duration histogram, 1 ms … 10 s: the SDK's default bounds
 * (0, 5, 10, 25 … 10000) are meant for milliseconds and would put every RPC in the first
 * buckets.
 */
export const durationBucketsSeconds: readonly number[] = [
  0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10,
];

/**
 * Applies the bounds to EVERY histogram whose unit is "s" — the RPC and HTTP durations here and
 * the lags other packages record — so no instrument has to remember to ask for them.
 */
export const durationHistogramViews: ViewOptions[] = [
  {
    instrumentType: InstrumentType.HISTOGRAM,
    instrumentUnit: "s",
    aggregation: {
      type: AggregationType.EXPLICIT_BUCKET_HISTOGRAM,
      options: { boundaries: [...durationBucketsSeconds] },
    },
  },
];
