/** How a failing outbox row is retried before it is dead-lettered. */
export interface RetryPolicy {
  /** Publish attempts before the row is dead-lettered. Default 10. */
  maxAttempts: number;
  /** Delay after the first failure; doubles with each further one. Default 1000. */
  baseDelayMs: number;
  /** Upper bound of one delay. Default 300000 (5 min). */
  maxDelayMs: number;
  /** ± fraction of random spread, so rows that failed together do not retry together. Default 0.2. */
  jitter: number;
}

export const defaultRetryPolicy: RetryPolicy = {
  maxAttempts: 10,
  baseDelayMs: 1_000,
  maxDelayMs: 5 * 60 * 1_000,
  jitter: 0.2,
};

/** Delay before the next attempt of a row that has now failed `attempts` times (1 = first). */
export function retryDelayMs(
  policy: RetryPolicy,
  attempts: number,
  random: () => number = Math.random,
): number {
  const exponential = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempts - 1));
  return Math.round(exponential * (1 + policy.jitter * (2 * random() - 1)));
}

/**
 * The longest time a row can spend being retried before it is dead-lettered: the bound the
 * stream's duplicate window must exceed.
 */
export function longestRetrySpanMs(policy: RetryPolicy): number {
  let total = 0;
  for (let attempts = 1; attempts < policy.maxAttempts; attempts++) {
    total += Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempts - 1));
  }
  return Math.round(total * (1 + policy.jitter));
}
