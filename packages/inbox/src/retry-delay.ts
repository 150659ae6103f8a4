/**
 * How long to wait before the next delivery after `deliveryCount` failed ones: 250 ms doubling,
 * capped at 30 s, so a hiccup is retried quickly and a longer outage is not hammered.
 */
export function defaultRetryDelayMs(deliveryCount: number): number {
  return Math.min(250 * 2 ** Math.max(0, deliveryCount - 1), 30_000);
}
