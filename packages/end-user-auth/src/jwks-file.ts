import { readFileSync, statSync } from "node:fs";
import {
  createLocalJWKSet,
  errors,
  type FlattenedJWSInput,
  type JSONWebKeySet,
  type JWSHeaderParameters,
} from "jose";

type KeyResolver = ReturnType<typeof createLocalJWKSet>;

export interface FileKeySetOptions {
  /** Least time between two re-reads caused by an unknown `kid` (default 30 s). */
  cooldownMs?: number;
  /** How often the file's mtime/size is looked at for a change (default 1 s). */
  checkIntervalMs?: number;
  /** Told when a re-read fails (the last good key set stays in use). */
  onReloadError?: (error: Error) => void;
  now?: () => number;
}

/** A key resolver for jose's jwtVerify, backed by a JWKS file. */
export interface FileKeySet {
  (protectedHeader: JWSHeaderParameters, token: FlattenedJWSInput): ReturnType<KeyResolver>;
  /** Key ids currently loaded. */
  kids(): string[];
  /**
   * Version of the loaded keys (changes on every successful re-read). Looks at the file first
   * (at most every `checkIntervalMs`), so a cache of verified tokens that asks on each hit sees
   * a rotation as soon as a verification would.
   */
  version(): number;
}

/**
 * Reads a JWKS of PUBLIC keys from `path` (throws if it is unreadable, not a JWKS, or holds a
 * private key) and keeps it current without a restart: the file is re-read when its mtime, size
 * or inode changes (looked at every `checkIntervalMs`), and when a token names an unknown `kid`,
 * at most once per `cooldownMs` — so rotation works (publish the new key, then sign with it)
 * while a flood of made-up kids cannot turn into a flood of reads. A re-read that fails (a file
 * caught mid-write) keeps the last good keys.
 */
export function createFileKeySet(path: string, options: FileKeySetOptions = {}): FileKeySet {
  const cooldownMs = options.cooldownMs ?? 30_000;
  const checkIntervalMs = options.checkIntervalMs ?? 1_000;
  const now = options.now ?? Date.now;

  let jwks = readJwksFile(path);
  let resolver = createLocalJWKSet(jwks);
  let version = fileVersion(path);
  let checkedAt = now();
  let reloadedAt = now();
  let loads = 1;

  const reload = () => {
    reloadedAt = now();
    try {
      const nextVersion = fileVersion(path);
      jwks = readJwksFile(path);
      resolver = createLocalJWKSet(jwks);
      version = nextVersion;
      loads++;
    } catch (error) {
      options.onReloadError?.(error as Error);
    }
  };

  const reloadIfChanged = () => {
    if (now() - checkedAt < checkIntervalMs) return;
    checkedAt = now();
    let current = version;
    try {
      current = fileVersion(path);
    } catch (error) {
      options.onReloadError?.(error as Error);
    }
    if (current !== version) reload();
  };

  const resolve = (async (protectedHeader, token) => {
    reloadIfChanged();
    try {
      return await resolver(protectedHeader, token);
    } catch (error) {
      if (!(error instanceof errors.JWKSNoMatchingKey) || now() - reloadedAt < cooldownMs) {
        throw error;
      }
      reload();
      return resolver(protectedHeader, token);
    }
  }) as FileKeySet;
  resolve.kids = () => jwks.keys.flatMap((key) => (key.kid === undefined ? [] : [key.kid]));
  resolve.version = () => {
    reloadIfChanged();
    return loads;
  };
  return resolve;
}

/** Parses a JWKS file of public keys; throws an Error saying what is wrong with it. */
export function readJwksFile(path: string): JSONWebKeySet {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    throw new Error(`cannot read a JWKS from ${path}: ${(error as Error).message}`);
  }
  const keys = (parsed as { keys?: unknown } | null)?.keys;
  if (!Array.isArray(keys) || keys.some((key) => typeof key !== "object" || key === null)) {
    throw new Error(`${path} is not a JWKS (expected {"keys": [...]})`);
  }
  // A verifier needs public keys only; a private one here means a secret was put in the wrong
  // file (and is now readable by whoever can read a "public" key set).
  const privateParameters = ["d", "p", "q", "dp", "dq", "qi", "k", "priv"];
  if (keys.some((key) => privateParameters.some((name) => name in key))) {
    throw new Error(`${path} contains private or symmetric key material: publish public keys only`);
  }
  return { keys } as JSONWebKeySet;
}

function fileVersion(path: string): string {
  const stat = statSync(path);
  return `${stat.ino}:${stat.size}:${stat.mtimeMs}`;
}
