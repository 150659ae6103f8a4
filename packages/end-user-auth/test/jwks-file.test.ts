import { writeFileSync } from "node:fs";
import { errors, jwtVerify } from "jose";
import { afterEach, describe, expect, it } from "vitest";
import { createFileKeySet, readJwksFile } from "../src/index.js";
import { createTestTokenIssuer, generateSigningKey, type TestTokenIssuer } from "../src/testing.js";

const issuers: TestTokenIssuer[] = [];
afterEach(() => {
  for (const issuer of issuers.splice(0)) issuer.remove();
});

async function newIssuer() {
  const issuer = await createTestTokenIssuer();
  issuers.push(issuer);
  return issuer;
}

const verifyWith = (keys: ReturnType<typeof createFileKeySet>, token: string) =>
  jwtVerify(token, keys, { algorithms: ["ES256"] });

describe("JWKS file key set", () => {
  it("picks up a new kid written to the file, without a restart", async () => {
    const issuer = await newIssuer();
    let clock = 0;
    const keys = createFileKeySet(issuer.jwksFile, {
      cooldownMs: 60_000,
      checkIntervalMs: 1_000,
      now: () => clock,
    });
    const first = await issuer.token("user-1");
    await verifyWith(keys, first);

    await issuer.rotate();
    const second = await issuer.token("user-1");
    clock += 1_000; // the next look at the file's mtime/size sees the change
    await expect(verifyWith(keys, second)).resolves.toBeDefined();
    await expect(verifyWith(keys, first)).resolves.toBeDefined();
    expect(keys.kids()).toHaveLength(2);
  });

  it("re-reads on an unknown kid at most once per cooldown", async () => {
    const issuer = await newIssuer();
    let clock = 0;
    const keys = createFileKeySet(issuer.jwksFile, {
      cooldownMs: 30_000,
      checkIntervalMs: Number.POSITIVE_INFINITY, // only unknown kids may cause a re-read
      now: () => clock,
    });
    await issuer.rotate();
    const rotated = await issuer.token("user-1");
    // Loaded at t=0: within the cooldown an unknown kid is simply refused.
    await expect(verifyWith(keys, rotated)).rejects.toBeInstanceOf(errors.JWKSNoMatchingKey);
    clock = 30_000;
    await expect(verifyWith(keys, rotated)).resolves.toBeDefined();
  });

  it("keeps the last good keys when a re-read finds garbage (a file caught mid-write)", async () => {
    const issuer = await newIssuer();
    let clock = 0;
    const failures: string[] = [];
    const keys = createFileKeySet(issuer.jwksFile, {
      cooldownMs: 0,
      checkIntervalMs: 0,
      now: () => clock,
      onReloadError: (error) => failures.push(error.message),
    });
    writeFileSync(issuer.jwksFile, '{"keys": [');
    clock += 10;
    await expect(verifyWith(keys, await issuer.token("user-1"))).resolves.toBeDefined();
    expect(failures[0]).toContain("cannot read a JWKS");
  });

  it("refuses a file that holds a private key, or no key set at all", async () => {
    const issuer = await newIssuer();
    const { privateKeyPem } = await generateSigningKey();
    const { exportJWK, importPKCS8 } = await import("jose");
    const privateJwk = await exportJWK(
      await importPKCS8(privateKeyPem, "ES256", { extractable: true }),
    );
    writeFileSync(issuer.jwksFile, JSON.stringify({ keys: [privateJwk] }));
    expect(() => readJwksFile(issuer.jwksFile)).toThrow(/private or symmetric key material/);
    writeFileSync(issuer.jwksFile, JSON.stringify({ kty: "EC" }));
    expect(() => createFileKeySet(issuer.jwksFile)).toThrow(/is not a JWKS/);
  });
});
