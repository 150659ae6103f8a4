import { writeFileSync } from "node:fs";
import type { JWTVerifyGetKey } from "jose";
import { afterEach, describe, expect, it } from "vitest";
import {
  AccessTokenRejected,
  accessTokenVerifierFromConfig,
  createAccessTokenVerifier,
  createFileKeySet,
  createVerifiedTokenCache,
} from "../src/index.js";
import { createTestTokenIssuer, type TestTokenIssuer } from "../src/testing.js";

const issuers: TestTokenIssuer[] = [];
afterEach(() => {
  for (const issuer of issuers.splice(0)) issuer.remove();
});

/** A verifier over a real JWKS file with one fake clock, counting signature checks. */
async function cachedVerifier() {
  const issuer = await createTestTokenIssuer();
  issuers.push(issuer);
  let clock = Date.now();
  const now = () => clock;
  const file = createFileKeySet(issuer.jwksFile, { cooldownMs: 0, checkIntervalMs: 1_000, now });
  let signatureChecks = 0;
  const counting: JWTVerifyGetKey = (header, token) => {
    signatureChecks++;
    return file(header, token);
  };
  const cache = createVerifiedTokenCache({ keySetVersion: () => file.version(), now });
  const verifier = createAccessTokenVerifier({
    keys: counting,
    issuer: issuer.issuer,
    audience: issuer.audience,
    algorithms: ["ES256"],
    clockToleranceSeconds: 0,
    currentDate: () => new Date(clock),
    cache,
  });
  return {
    issuer,
    verifier,
    cache,
    signatureChecks: () => signatureChecks,
    advance: (ms: number) => {
      clock += ms;
    },
  };
}

const refusalOf = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: unknown) => error,
  );

describe("verified-token cache", () => {
  it("answers a repeated token without a second signature check", async () => {
    const { issuer, verifier, cache, signatureChecks } = await cachedVerifier();
    const authorization = await issuer.authorization("user-1", ["orders:read"]);
    const first = await verifier.verify(authorization);
    const second = await verifier.verify(authorization);
    expect(second).toEqual(first);
    expect(second).toEqual({ subject: "user-1", scopes: ["orders:read"] });
    expect(signatureChecks()).toBe(1);
    expect(cache.stats()).toMatchObject({ hits: 1, misses: 1, size: 1 });
  });

  it("never answers from the cache past the token's exp", async () => {
    const { issuer, verifier, signatureChecks, advance } = await cachedVerifier();
    const authorization = await issuer.authorization("user-1"); // exp = now + 300 s
    await verifier.verify(authorization);
    // The cache bounds an entry to 60 s even before exp: re-verified (still valid) after it.
    advance(61_000);
    await expect(verifier.verify(authorization)).resolves.toMatchObject({ subject: "user-1" });
    expect(signatureChecks()).toBe(2);
    // Re-cached at t+61 s: its exp (t+300 s) is what ends it, then the token is refused.
    advance(240_000);
    const refusal = await refusalOf(verifier.verify(authorization));
    expect(refusal).toBeInstanceOf(AccessTokenRejected);
    expect((refusal as AccessTokenRejected).category).toBe("token expired");
  });

  it("stops accepting a token as soon as the rotation that removed its key is seen", async () => {
    const { issuer, verifier, cache, advance } = await cachedVerifier();
    const old = await issuer.authorization("user-1");
    await verifier.verify(old);
    await expect(verifier.verify(old)).resolves.toMatchObject({ subject: "user-1" });

    // The old key is revoked: the JWKS now holds only the new one.
    await issuer.rotate();
    writeFileSync(issuer.jwksFile, JSON.stringify({ keys: issuer.jwks().keys.slice(1) }));
    advance(1_000); // the next look at the file (every second) sees the change
    const refusal = await refusalOf(verifier.verify(old));
    expect(refusal).toBeInstanceOf(AccessTokenRejected);
    expect((refusal as AccessTokenRejected).category).toBe("token signature not accepted");
    expect(cache.stats().flushes).toBe(1);
  });

  it("does not cache a refused token", async () => {
    const { issuer, verifier, cache, signatureChecks } = await cachedVerifier();
    await issuer.rotate({ publish: false }); // signs with a key nobody published
    const unknown = await issuer.authorization("user-1");
    for (let attempt = 0; attempt < 2; attempt++) {
      expect(await refusalOf(verifier.verify(unknown))).toBeInstanceOf(AccessTokenRejected);
    }
    expect(signatureChecks()).toBe(2);
    expect(cache.stats().size).toBe(0);
  });

  it("forgets a verification that raced a key-set change", () => {
    let version = 1;
    const cache = createVerifiedTokenCache({ keySetVersion: () => version });
    const lookup = cache.lookup("token");
    version = 2; // rotation seen while the signature was being checked
    cache.remember(
      "token",
      { subject: "u", scopes: [] },
      Date.now() / 1000 + 300,
      lookup.keySetVersion,
    );
    expect(cache.lookup("token").endUser).toBeUndefined();
    expect(cache.stats()).toMatchObject({ size: 0, flushes: 1 });
  });

  it("is on by default in the configured verifier, and a revoked key still stops within 1 s", async () => {
    const issuer = await createTestTokenIssuer();
    issuers.push(issuer);
    const logged: Record<string, unknown>[] = [];
    const logger = { info: (fields: Record<string, unknown>) => logged.push(fields) } as never;
    const verifier = accessTokenVerifierFromConfig(issuer.config(), { logger });
    const off = accessTokenVerifierFromConfig(issuer.config({ JWT_CACHE_ENTRIES: 0 }), { logger });
    expect(logged.map((fields) => fields.verifiedTokenCache)).toEqual([10_000, 0]);

    const authorization = await issuer.authorization("user-1");
    await verifier.verify(authorization);
    await off.verify(authorization);
    await issuer.rotate();
    writeFileSync(issuer.jwksFile, JSON.stringify({ keys: issuer.jwks().keys.slice(1) }));
    await new Promise((resolve) => setTimeout(resolve, 1_100)); // the file is looked at every 1 s
    for (const each of [verifier, off]) {
      expect(await refusalOf(each.verify(authorization))).toBeInstanceOf(AccessTokenRejected);
    }
  });
});
