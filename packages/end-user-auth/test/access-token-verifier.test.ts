import { createPrivateKey, createPublicKey } from "node:crypto";
import { SignJWT, UnsecuredJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  AccessTokenRejected,
  type AccessTokenVerifier,
  createAccessTokenVerifier,
  createFileKeySet,
} from "../src/index.js";
import { createTestTokenIssuer, type TestTokenIssuer } from "../src/testing.js";

let issuer: TestTokenIssuer;
let verifier: AccessTokenVerifier;

beforeAll(async () => {
  issuer = await createTestTokenIssuer();
  verifier = createAccessTokenVerifier({
    keys: createFileKeySet(issuer.jwksFile, { cooldownMs: 0 }),
    issuer: issuer.issuer,
    audience: issuer.audience,
    algorithms: ["ES256"],
    clockToleranceSeconds: 30,
  });
});
afterAll(() => issuer?.remove());

const now = () => Math.floor(Date.now() / 1000);

function signed(overrides: { claims?: Record<string, unknown>; header?: Record<string, unknown> }) {
  return new SignJWT({
    iss: issuer.issuer,
    aud: issuer.audience,
    sub: "user-1",
    scope: "orders:read",
    iat: now(),
    exp: now() + 300,
    ...overrides.claims,
  })
    .setProtectedHeader({ alg: "ES256", kid: issuer.kid, typ: "at+jwt", ...overrides.header })
    .sign(issuer.privateKey);
}

async function refusal(authorization: string | null): Promise<AccessTokenRejected> {
  const outcome = await verifier.verify(authorization).then(
    (endUser) => new Error(`accepted as ${JSON.stringify(endUser)}`),
    (error: unknown) => error,
  );
  if (!(outcome instanceof AccessTokenRejected)) throw outcome;
  return outcome;
}

describe("access token verifier", () => {
  it("accepts a valid token and returns its subject and scopes", async () => {
    const token = await issuer.token("user-1", ["switchyard:admin", "orders:read"]);
    expect(await verifier.verify(`Bearer ${token}`)).toEqual({
      subject: "user-1",
      scopes: ["switchyard:admin", "orders:read"],
    });
    expect(await verifier.verify(`bearer ${token}`)).toMatchObject({ subject: "user-1" });
  });

  it("says 'missing bearer token' without an error code when there is no Bearer token", async () => {
    for (const header of [null, "", "Basic dXNlcjpwYXNz"]) {
      const rejected = await refusal(header);
      expect(rejected.category).toBe("missing bearer token");
      expect(rejected.errorCode).toBeUndefined();
    }
  });

  it("refuses a token signed with an algorithm that is not pinned (alg none, HS256 with the public key)", async () => {
    const none = new UnsecuredJWT({ sub: "user-1" })
      .setIssuer(issuer.issuer)
      .setAudience(issuer.audience)
      .setExpirationTime("5m")
      .encode();
    expect((await refusal(`Bearer ${none}`)).category).toBe("token signature not accepted");

    // The classic confusion attack: the public key's bytes used as an HMAC secret.
    const publicPem = createPublicKey(createPrivateKey(issuer.privateKeyPem)).export({
      type: "spki",
      format: "pem",
    }) as string;
    const hs256 = await new SignJWT({})
      .setProtectedHeader({ alg: "HS256", kid: issuer.kid, typ: "at+jwt" })
      .setIssuer(issuer.issuer)
      .setAudience(issuer.audience)
      .setSubject("user-1")
      .setExpirationTime("5m")
      .sign(new TextEncoder().encode(publicPem));
    const rejected = await refusal(`Bearer ${hs256}`);
    expect(rejected.category).toBe("token signature not accepted");
    expect(rejected.reason).toContain("ERR_JOSE_ALG_NOT_ALLOWED");
  });

  it("names only the category: expired, not yet valid, claims, malformed", async () => {
    const expired = await signed({ claims: { exp: now() - 120 } });
    expect((await refusal(`Bearer ${expired}`)).category).toBe("token expired");
    const withinTolerance = await signed({ claims: { exp: now() - 10 } });
    expect(await verifier.verify(`Bearer ${withinTolerance}`)).toMatchObject({ subject: "user-1" });
    const early = await signed({ claims: { nbf: now() + 120 } });
    expect((await refusal(`Bearer ${early}`)).category).toBe("token not yet valid");
    const wrongTyp = await signed({ header: { typ: "JWT" } });
    const typRefusal = await refusal(`Bearer ${wrongTyp}`);
    expect(typRefusal.category).toBe("token claims not accepted");
    expect(typRefusal.reason).toContain("typ");
    expect(typRefusal.errorCode).toBe("invalid_token");
    expect((await refusal("Bearer not a token")).category).toBe("malformed token");
    expect((await refusal("Bearer a.b.c")).category).toBe("malformed token");
  });

  it("refuses a token without sub, or with a subject that cannot travel as metadata", async () => {
    const noSub = await new SignJWT({})
      .setProtectedHeader({ alg: "ES256", kid: issuer.kid, typ: "at+jwt" })
      .setIssuer(issuer.issuer)
      .setAudience(issuer.audience)
      .setExpirationTime("5m")
      .sign(issuer.privateKey);
    expect((await refusal(`Bearer ${noSub}`)).reason).toContain("sub");
    const spaced = await signed({ claims: { sub: "user one" } });
    expect((await refusal(`Bearer ${spaced}`)).category).toBe("token claims not accepted");
  });
});
