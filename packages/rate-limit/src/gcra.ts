import { type Clock, systemClock } from "./clock.js";

/** A rate: `quota` requests per `windowSeconds`, all of which may come at once (the burst). */
export interface RatePolicy {
  /** The name clients see in `RateLimit-Policy` / `RateLimit` ("reads", "writes", "signup"). */
  name: string;
  quota: number;
  windowSeconds: number;
}

/** What one request got from a policy. */
export interface RateDecision {
  policy: RatePolicy;
  allowed: boolean;
  /** Requests that would still be allowed right now (after this one). */
  remaining: number;
  /** Seconds until the full quota is available again (`t` of the RateLimit field). */
  resetSeconds: number;
  /** Refused only: seconds until one request is allowed again (`Retry-After`). */
  retryAfterSeconds: number;
}

// Time is kept in whole microseconds (epoch µs stay below 2^53) and the window is
// quota × T exactly, so float rounding can never take a request off (or add one to) the burst.
const usPerMs = 1000;

/**
 * GCRA (generic cell rate algorithm, as redis-cell): per key one number, the theoretical
 * arrival time (TAT). Every allowed request pushes it one emission interval T = window/quota
 * later; a request is refused while TAT would end up more than one window ahead of now. So a
 * fresh key takes a burst of exactly `quota`, then one request per T — no timers, no buckets
 * to refill, O(1) per request. Keys whose TAT is in the past are equal to fresh ones and are
 * swept.
 */
export class GcraLimiter {
  private readonly tat = new Map<string, number>();
  /** Emission interval T in µs. */
  private readonly emissionUs: number;
  /** quota × T in µs: the window as the algorithm counts it. */
  private readonly windowUs: number;
  private checksSinceSweep = 0;

  constructor(
    readonly policy: RatePolicy,
    private readonly clock: Clock = systemClock,
  ) {
    if (!(Number.isInteger(policy.quota) && policy.quota > 0)) {
      throw new RangeError(`policy ${policy.name}: quota must be a positive integer`);
    }
    if (!(Number.isInteger(policy.windowSeconds) && policy.windowSeconds > 0)) {
      throw new RangeError(
        `policy ${policy.name}: window must be a positive whole number of seconds`,
      );
    }
    this.emissionUs = Math.max(1, Math.round((policy.windowSeconds * 1_000_000) / policy.quota));
    this.windowUs = this.emissionUs * policy.quota;
  }

  /** Takes one request for `key` if the policy allows it; a refused request changes nothing. */
  take(key: string): RateDecision {
    const now = Math.round(this.clock() * usPerMs);
    this.sweepNow(now);
    const tat = Math.max(this.tat.get(key) ?? now, now);
    const newTat = tat + this.emissionUs;
    const allowAt = newTat - this.windowUs;
    if (allowAt > now) {
      return this.decision(false, now, tat, allowAt - now);
    }
    this.tat.set(key, newTat);
    return this.decision(true, now, newTat, 0);
  }

  /** Keys currently tracked (a fresh key costs no memory). */
  get size(): number {
    return this.tat.size;
  }

  private decision(allowed: boolean, now: number, tat: number, waitUs: number): RateDecision {
    const aheadUs = tat - now;
    return {
      policy: this.policy,
      allowed,
      remaining: Math.max(0, Math.floor((this.windowUs - aheadUs) / this.emissionUs)),
      resetSeconds: Math.max(0, Math.ceil(aheadUs / 1_000_000)),
      retryAfterSeconds: allowed ? 0 : Math.max(1, Math.ceil(waitUs / 1_000_000)),
    };
  }

  private sweepNow(now: number): void {
    if (++this.checksSinceSweep < 1024) return;
    this.checksSinceSweep = 0;
    for (const [key, tat] of this.tat) if (tat <= now) this.tat.delete(key);
  }
}
