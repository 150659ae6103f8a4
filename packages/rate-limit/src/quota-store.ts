import { createHash } from "node:crypto";
import { jetstream } from "@nats-io/jetstream";
import { type KV, Kvm } from "@nats-io/kv";
import { connect, type NatsConnection } from "@nats-io/transport-node";

/**
 * Where the daily totals live: one NATS KV key per (day, subject) holding the units handed out
 * so far, changed only by compare-and-set on its revision. Debian's nats-server 2.9 has no
 * per-key TTL, so the day is part of the key and the bucket's TTL (max age, two days) removes
 * yesterday's keys.
 */
export interface QuotaStore {
  /** Hands out up to `want` more units of `limit` for (day, subject): the grant and the new total. */
  reserve(
    day: string,
    subject: string,
    want: number,
    limit: number,
  ): Promise<{ granted: number; total: number }>;
  close(): Promise<void>;
}

export class QuotaStoreUnavailable extends Error {
  override name = "QuotaStoreUnavailable";
}

export interface NatsQuotaStoreOptions {
  /** nats://host:port, comma-separated for several servers. */
  url: string;
  bucket: string;
  /** Longest wait for one KV answer before the store counts as unreachable. */
  timeoutMs: number;
  /** Connection name seen by `nats server report connections`. */
  name: string;
}

const maxCasAttempts = 20;
const twoDaysMs = 2 * 86_400_000;

/** A KV key for (day, subject): subjects are hashed, so any string is a valid key. */
function keyOf(day: string, subject: string): string {
  const hash = createHash("sha256").update(subject).digest("base64url").slice(0, 32);
  return `d.${day}.${hash}`;
}

/**
 * A QuotaStore on NATS KV. It connects in the background and keeps reconnecting: a gateway
 * starts and serves while NATS is down; every reserve fails fast with QuotaStoreUnavailable
 * until the bucket is open.
 */
export function natsQuotaStore(options: NatsQuotaStoreOptions): QuotaStore {
  let connection: NatsConnection | undefined;
  let bucket: KV | undefined;
  let closed = false;
  let retryTimer: NodeJS.Timeout | undefined;

  const open = async () => {
    try {
      connection = await connect({
        servers: options.url.split(",").map((s) => s.trim()),
        name: options.name,
        maxReconnectAttempts: -1,
        reconnectTimeWait: 500,
        timeout: options.timeoutMs,
      });
      if (closed) {
        await connection.close();
        return;
      }
      const js = jetstream(connection, { timeout: options.timeoutMs });
      bucket = await new Kvm(js).create(options.bucket, { history: 1, ttl: twoDaysMs });
    } catch {
      await connection?.close().catch(() => {});
      connection = undefined;
      if (!closed) retryTimer = setTimeout(open, 1_000).unref();
    }
  };
  void open();

  const withTimeout = <T>(operation: Promise<T>): Promise<T> => {
    let timer: NodeJS.Timeout | undefined;
    return Promise.race([
      operation,
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new QuotaStoreUnavailable(`no answer within ${options.timeoutMs} ms`)),
          options.timeoutMs,
        );
      }),
    ]).finally(() => clearTimeout(timer));
  };

  return {
    async reserve(day, subject, want, limit) {
      const kv = bucket;
      if (kv === undefined || connection?.isClosed() !== false) {
        throw new QuotaStoreUnavailable("quota bucket not open (NATS unreachable)");
      }
      const key = keyOf(day, subject);
      for (let attempt = 0; attempt < maxCasAttempts; attempt++) {
        let entry: Awaited<ReturnType<KV["get"]>>;
        try {
          entry = await withTimeout(kv.get(key));
        } catch (error) {
          throw new QuotaStoreUnavailable(`quota read failed: ${(error as Error).message}`, {
            cause: error,
          });
        }
        const present = entry !== null && entry.operation === "PUT";
        const total = present ? Number(entry?.string()) : 0;
        const granted = Math.max(0, Math.min(want, limit - total));
        if (granted === 0) return { granted, total };
        try {
          // Compare-and-set: create fails if someone created it, update if the revision moved.
          if (present && entry !== null) {
            await withTimeout(kv.update(key, String(total + granted), entry.revision));
          } else {
            await withTimeout(kv.create(key, String(total + granted)));
          }
          return { granted, total: total + granted };
        } catch (error) {
          if (error instanceof QuotaStoreUnavailable) throw error;
          // Lost the race to another replica: read again.
        }
      }
      throw new QuotaStoreUnavailable(`quota key stayed contended for ${maxCasAttempts} attempts`);
    },
    async close() {
      closed = true;
      clearTimeout(retryTimer);
      await connection?.close().catch(() => {});
    },
  };
}
