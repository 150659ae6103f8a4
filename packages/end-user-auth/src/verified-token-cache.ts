import { hash } from "node:crypto";
import type { EndUser } from "@switchyard/grpc-kit";
import { LRUCache } from "lru-cache";

export interface VerifiedTokenCacheOptions {
  /**
   * The key set's current version (any value compared with `===`). When it changes, every
   * entry is dropped: a token verified with a key that a rotation removed must be checked again
   * (and refused) at once, not when its cache entry runs out.
   */
  keySetVersion: () => unknown;
  /** Most tokens remembered (LRU beyond that). Default 10 000 (~2 MB). */
  maxEntries?: number;
  /**
   * Longest an entry lives even if the token's `exp` is later (default 60 s): bounds how long a
   * key set whose rotation is noticed only lazily (a remote JWKS) can keep a removed key alive.
   */
  maxAgeMs?: number;
  /** Clock in ms since the epoch (the verifier's, so tests share one fake clock). */
  now?: () => number;
}

export interface TokenLookup {
  /** The end user of an earlier successful verification, if still valid. */
  endUser: EndUser | undefined;
  /** The key-set version seen by this lookup: pass it back to `remember`. */
  keySetVersion: unknown;
}

export interface VerifiedTokenCacheStats {
  hits: number;
  misses: number;
  /** How many times a key-set change emptied the cache. */
  flushes: number;
  size: number;
}

/** Tokens that passed verification, remembered until `exp` (never past it) or a key rotation. */
export interface VerifiedTokenCache {
  lookup(token: string): TokenLookup;
  /**
   * Remembers a verified token until `expiresAtSeconds` (its `exp`). Ignored when the key set
   * changed since `keySetVersion` was read: the verification may have used a key now gone.
   */
  remember(token: string, endUser: EndUser, expiresAtSeconds: number, keySetVersion: unknown): void;
  stats(): VerifiedTokenCacheStats;
}

interface Entry {
  endUser: EndUser;
  expiresAtMs: number;
}

/**
 * An LRU of verified access tokens. Keys are SHA-256 digests of the token, so the cache holds
 * no bearer credential a heap dump could replay. A hit costs a hash (~1 µs) instead of an
 * ES256 signature check (~170 µs here), which is what the edge pays on every request.
 */
export function createVerifiedTokenCache(options: VerifiedTokenCacheOptions): VerifiedTokenCache {
  const now = options.now ?? Date.now;
  const maxAgeMs = options.maxAgeMs ?? 60_000;
  const entries = new LRUCache<string, Entry>({ max: options.maxEntries ?? 10_000 });
  let seenVersion = options.keySetVersion();
  let hits = 0;
  let misses = 0;
  let flushes = 0;

  const currentVersion = () => {
    const version = options.keySetVersion();
    if (version !== seenVersion) {
      seenVersion = version;
      entries.clear();
      flushes++;
    }
    return version;
  };
  // One-shot: no Hash object per lookup.
  const digest = (token: string) => hash("sha256", token, "base64url");

  return {
    lookup(token) {
      const keySetVersion = currentVersion();
      const key = digest(token);
      const entry = entries.get(key);
      if (entry !== undefined && entry.expiresAtMs > now()) {
        hits++;
        return { endUser: entry.endUser, keySetVersion };
      }
      if (entry !== undefined) entries.delete(key);
      misses++;
      return { endUser: undefined, keySetVersion };
    },
    remember(token, endUser, expiresAtSeconds, keySetVersion) {
      if (currentVersion() !== keySetVersion) return;
      const expiresAtMs = Math.min(expiresAtSeconds * 1000, now() + maxAgeMs);
      if (expiresAtMs <= now()) return;
      entries.set(digest(token), { endUser, expiresAtMs });
    },
    stats: () => ({ hits, misses, flushes, size: entries.size }),
  };
}
