import { percentile } from "@switchyard/load";

export interface LoopResult {
  completed: number;
  errors: number;
  /** The first few error messages, to say what went wrong. */
  errorSamples: string[];
  elapsedMs: number;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
}

/**
 * A closed loop: `concurrency` workers each send a request, wait for its answer, and send the
 * next, until `durationMs` is up. Throughput is what the system under test sustains with that
 * many requests in flight; latencies are per request, errors excluded.
 */
export async function runClosedLoop(
  call: () => Promise<void>,
  options: { concurrency: number; durationMs: number },
): Promise<LoopResult> {
  const latenciesMs: number[] = [];
  const errorSamples: string[] = [];
  let errors = 0;
  const started = performance.now();
  const endAt = started + options.durationMs;
  const worker = async () => {
    while (performance.now() < endAt) {
      const sent = performance.now();
      try {
        await call();
        latenciesMs.push(performance.now() - sent);
      } catch (error) {
        errors += 1;
        if (errorSamples.length < 3) errorSamples.push(String((error as Error).message ?? error));
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  const elapsedMs = performance.now() - started;
  return {
    completed: latenciesMs.length,
    errors,
    errorSamples,
    elapsedMs,
    requestsPerSecond: latenciesMs.length / (elapsedMs / 1000),
    p50Ms: percentile(latenciesMs, 50),
    p99Ms: percentile(latenciesMs, 99),
  };
}
