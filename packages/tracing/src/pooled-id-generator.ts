import { randomFillSync } from "node:crypto";
import type { IdGenerator } from "@opentelemetry/sdk-trace-base";

const poolBytes = 4096;
const allZero = /^0+$/;

/**
 * Trace and span ids cut from a pool of random hex (crypto.randomFillSync, refilled every
 * 4 KiB), instead of the SDK's generator, which draws Math.random and hex-encodes a buffer for
 * every id: one slice of a string per id, the cheapest thing a span's start does. Never returns
 * an all-zero id (invalid per W3C trace context).
 */
export class PooledIdGenerator implements IdGenerator {
  private hex = "";
  private offset = 0;

  generateTraceId(): string {
    return this.take(32);
  }

  generateSpanId(): string {
    return this.take(16);
  }

  private take(length: number): string {
    for (;;) {
      if (this.offset + length > this.hex.length) {
        this.hex = randomFillSync(Buffer.allocUnsafe(poolBytes)).toString("hex");
        this.offset = 0;
      }
      const id = this.hex.slice(this.offset, this.offset + length);
      this.offset += length;
      if (!allZero.test(id)) return id;
    }
  }
}
