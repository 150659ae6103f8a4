import { type Clock, systemClock } from "./clock.js";

export interface AdaptiveConcurrencyOptions {
  /** The limit to start from. */
  initial: number;
  /** Never below this (a floor keeps a slow dependency from starving the service to zero). */
  min: number;
  /** Never above this. min = max = initial fixes the limit (tests). */
  max: number;
  /** A call slower than this counts as a drop (the limit backs off). */
  latencyLimitMs: number;
  /** Multiplicative decrease on a drop (Netflix AIMD default 0.9). */
  backoffRatio?: number;
  clock?: Clock;
}

/** One admitted call; release it exactly once when the call ends. */
export interface ConcurrencyLease {
  release(outcome: { dropped: boolean }): void;
}

export interface ConcurrencySnapshot {
  limit: number;
  inFlight: number;
  /** Calls refused since start. */
  rejections: number;
}

/**
 * An adaptive concurrency limit, AIMD as Netflix concurrency-limits' AIMDLimit: at most `limit`
 * calls in flight; a call that ends slow (or dropped) multiplies the limit by `backoffRatio`,
 * one that ends well while the limit was at least half used adds 1. So the limit climbs while
 * the service keeps up and falls quickly when latency says it is queueing — and what does not
 * fit is refused at once instead of waiting in a queue.
 */
export class AdaptiveConcurrencyLimit {
  private currentLimit: number;
  private inFlight = 0;
  private rejections = 0;
  private readonly backoffRatio: number;
  private readonly clock: Clock;

  constructor(private readonly options: AdaptiveConcurrencyOptions) {
    const { initial, min, max } = options;
    if (!(Number.isInteger(min) && min >= 1 && min <= initial && initial <= max)) {
      throw new RangeError("concurrency limits need 1 ≤ min ≤ initial ≤ max (whole numbers)");
    }
    this.currentLimit = initial;
    this.backoffRatio = options.backoffRatio ?? 0.9;
    this.clock = options.clock ?? systemClock;
  }

  /** A lease if a call fits under the limit now; undefined (counted as a rejection) if not. */
  tryAcquire(): ConcurrencyLease | undefined {
    if (this.inFlight >= Math.floor(this.currentLimit)) {
      this.rejections++;
      return undefined;
    }
    this.inFlight++;
    const started = this.clock();
    let released = false;
    return {
      release: ({ dropped }) => {
        if (released) return;
        released = true;
        const slow = this.clock() - started > this.options.latencyLimitMs;
        this.onSample(dropped || slow);
        this.inFlight--;
      },
    };
  }

  snapshot(): ConcurrencySnapshot {
    return {
      limit: Math.floor(this.currentLimit),
      inFlight: this.inFlight,
      rejections: this.rejections,
    };
  }

  private onSample(dropped: boolean): void {
    const { min, max } = this.options;
    if (dropped) {
      this.currentLimit = Math.max(min, Math.floor(this.currentLimit * this.backoffRatio));
    } else if (this.inFlight * 2 >= this.currentLimit) {
      this.currentLimit = Math.min(max, this.currentLimit + 1);
    }
  }
}
