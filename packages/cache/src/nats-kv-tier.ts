import { createHash } from "node:crypto";
import { type JetStreamManager, jetstream, jetstreamManager } from "@nats-io/jetstream";
import { type KV, Kvm } from "@nats-io/kv";
import type { NatsConnection } from "@nats-io/transport-node";
import type { EventNamespace } from "@switchyard/events";

/**
 * The shared tier (L2): one NATS KV bucket every replica reads on an L1 miss and writes after
 * a load. It never fails a read: NATS down, a slow answer or a broken entry is an L2 miss
 * (counted by `onError`), and the cache carries on with L1 and the source.
 */
export interface SharedTier {
  get(key: string): Promise<{ bytes: Uint8Array; created: Date } | undefined>;
  put(key: string, bytes: Uint8Array): Promise<void>;
  delete(key: string): Promise<void>;
  /** Deletes every key `<group>.<rest>` (a tier that cannot leaves them to its TTL). */
  deleteGroup?(group: string): Promise<void>;
}

export interface NatsKvTierOptions {
  /** An open connection (the service's own; the tier never closes it). */
  nats: NatsConnection;
  /** Bucket name: letters, digits, `_` and `-`. */
  bucket: string;
  /** The bucket's max age: every key expires this long after its last write. */
  ttlMs: number;
  /** Longest wait for one KV answer. */
  timeoutMs: number;
  onError(operation: "get" | "put" | "delete" | "open", error: unknown): void;
}

const retryOpenAfterMs = 1_000;
const validKey = /^[-_=.a-zA-Z0-9]{1,200}$/;
/** One token of a KV key (and so of the NATS subject under it): no dots, no wildcards. */
const validGroup = /^[-_=a-zA-Z0-9]{1,100}$/;

/** KV keys allow few characters: any other key is hashed (collisions are negligible). */
export function kvKeyOf(key: string): string {
  return validKey.test(key)
    ? key
    : `h.${createHash("sha256").update(key).digest("base64url").slice(0, 43)}`;
}

/**
 * The L2 bucket of a cache in a namespace: `cache_<name>` (prefixed like the namespace's
 * streams, so isolated copies — tests, side-by-side stacks — never share a bucket).
 */
export function cacheBucketName(cacheName: string, namespace: EventNamespace): string {
  const bucket = `cache_${cacheName.replace(/[^A-Za-z0-9_-]/g, "_")}`;
  return namespace.prefix === "" ? bucket : `${namespace.prefix}_${bucket}`;
}

export class L2Timeout extends Error {
  override name = "L2Timeout";
}

/** A SharedTier on a NATS KV bucket, created on first use (history 1, bucket TTL). */
export function natsKvTier(options: NatsKvTierOptions): SharedTier {
  let opening: Promise<KV> | undefined;
  let failedAt = Number.NEGATIVE_INFINITY;
  let manager: Promise<JetStreamManager> | undefined;

  const withTimeout = <T>(operation: Promise<T>): Promise<T> => {
    let timer: NodeJS.Timeout | undefined;
    return Promise.race([
      operation,
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new L2Timeout(`no answer from NATS KV within ${options.timeoutMs} ms`)),
          options.timeoutMs,
        );
      }),
    ]).finally(() => clearTimeout(timer));
  };

  // Opened once; after a failure not retried for a second, so NATS down costs no KV round
  // trip per read (L1 only until it is back).
  const bucket = (): Promise<KV> | undefined => {
    if (opening !== undefined) return opening;
    if (Date.now() - failedAt < retryOpenAfterMs || options.nats.isClosed()) return undefined;
    const js = jetstream(options.nats, { timeout: options.timeoutMs });
    opening = withTimeout(
      new Kvm(js).create(options.bucket, { history: 1, ttl: options.ttlMs }),
    ).catch((error: unknown) => {
      failedAt = Date.now();
      opening = undefined;
      options.onError("open", error);
      throw error;
    });
    return opening;
  };

  return {
    async get(key) {
      try {
        const kv = bucket();
        if (kv === undefined) return undefined;
        const entry = await withTimeout((await kv).get(kvKeyOf(key)));
        if (entry === null || entry.operation !== "PUT" || entry.value.length === 0) {
          return undefined;
        }
        return { bytes: entry.value, created: entry.created };
      } catch (error) {
        if (opening !== undefined) options.onError("get", error);
        return undefined;
      }
    },
    async put(key, bytes) {
      try {
        const kv = bucket();
        if (kv === undefined) return;
        await withTimeout((await kv).put(kvKeyOf(key), bytes));
      } catch (error) {
        if (opening !== undefined) options.onError("put", error);
      }
    },
    async delete(key) {
      try {
        const kv = bucket();
        if (kv === undefined) return;
        await withTimeout((await kv).delete(kvKeyOf(key)));
      } catch (error) {
        if (opening !== undefined) options.onError("delete", error);
      }
    },
    // One request however many keys the group has: a purge of the bucket's stream filtered
    // by the group's subjects ($KV.<bucket>.<group>.>); a later get of them finds nothing.
    async deleteGroup(group) {
      if (!validGroup.test(group)) return;
      try {
        const kv = bucket();
        if (kv === undefined) return;
        await withTimeout(kv);
        manager ??= jetstreamManager(options.nats, { timeout: options.timeoutMs });
        const jsm = await withTimeout(manager).catch((error: unknown) => {
          manager = undefined;
          throw error;
        });
        await withTimeout(
          jsm.streams.purge(`KV_${options.bucket}`, {
            filter: `$KV.${options.bucket}.${group}.>`,
          }),
        );
      } catch (error) {
        if (opening !== undefined) options.onError("delete", error);
      }
    },
  };
}
