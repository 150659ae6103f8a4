import { type Clock, systemClock } from "./clock.js";
import type { QuotaStore } from "./quota-store.js";
import { utcDay } from "./utc-day.js";

export interface DailyQuotaOptions {
  /** Units per subject per UTC day, across every replica. */
  quota: number;
  /**
   * Units a replica reserves from the store at once and then spends locally, so only one
   * request in `blockSize` costs a KV round trip. Slack: units a replica reserved but did not
   * spend are lost for the day (at most blockSize − 1 per replica per subject); the total
   * accepted never exceeds the quota.
   */
  blockSize: number;
  /** NATS unreachable: "open" lets requests through (the local rate limits still apply), "closed" refuses them. */
  onStoreUnavailable: "open" | "closed";
  store: QuotaStore;
  clock?: Clock;
}

export type DailyQuotaDecision =
  | { outcome: "allowed" | "exhausted"; remaining: number; resetSeconds: number }
  | { outcome: "store-unavailable"; failOpen: boolean; resetSeconds: number; error: Error };

interface LocalBlock {
  day: string;
  /** Units reserved by this replica and not yet spent. */
  unspent: number;
  /** The shared total after this replica's last reservation (others may have taken more since). */
  sharedTotal: number;
  reserving?: Promise<void> | undefined;
}

/**
 * A daily quota per subject shared by every replica through a QuotaStore (NATS KV), spent
 * from locally reserved blocks. Concurrent requests of one subject wait for one reservation.
 */
export class SharedDailyQuota {
  private readonly blocks = new Map<string, LocalBlock>();
  private readonly clock: Clock;

  constructor(private readonly options: DailyQuotaOptions) {
    if (!(Number.isInteger(options.quota) && options.quota > 0)) {
      throw new RangeError("daily quota must be a positive integer");
    }
    if (!(Number.isInteger(options.blockSize) && options.blockSize > 0)) {
      throw new RangeError("quota block size must be a positive integer");
    }
    this.clock = options.clock ?? systemClock;
  }

  get quota(): number {
    return this.options.quota;
  }

  async take(subject: string): Promise<DailyQuotaDecision> {
    const { day, secondsLeft } = utcDay(this.clock());
    let block = this.blocks.get(subject);
    if (block === undefined || block.day !== day) {
      block = { day, unspent: 0, sharedTotal: 0 };
      this.blocks.set(subject, block);
      this.forgetOtherDays(day);
    }
    while (block.unspent === 0) {
      if (block.reserving === undefined) {
        const current = block;
        current.reserving = this.reserve(subject, current).finally(() => {
          current.reserving = undefined;
        });
      }
      try {
        await block.reserving;
      } catch (error) {
        return {
          outcome: "store-unavailable",
          failOpen: this.options.onStoreUnavailable === "open",
          resetSeconds: secondsLeft,
          error: error as Error,
        };
      }
      if (block.unspent === 0 && block.sharedTotal >= this.options.quota) {
        return { outcome: "exhausted", remaining: 0, resetSeconds: secondsLeft };
      }
    }
    block.unspent -= 1;
    return {
      outcome: "allowed",
      // What nobody has reserved yet plus what this replica still holds: an estimate.
      remaining: this.options.quota - block.sharedTotal + block.unspent,
      resetSeconds: secondsLeft,
    };
  }

  private async reserve(subject: string, block: LocalBlock): Promise<void> {
    const { granted, total } = await this.options.store.reserve(
      block.day,
      subject,
      this.options.blockSize,
      this.options.quota,
    );
    block.unspent += granted;
    block.sharedTotal = total;
  }

  private forgetOtherDays(day: string): void {
    if (this.blocks.size < 10_000) return;
    for (const [subject, block] of this.blocks) if (block.day !== day) this.blocks.delete(subject);
  }
}
