import { randomUUID } from "node:crypto";
import {
  type CryptoKey,
  calculateJwkThumbprint,
  exportJWK,
  exportPKCS8,
  generateKeyPair,
  type JWK,
  SignJWT,
} from "jose";
import { accessTokenType } from "./access-token-verifier.js";

/** What a Switchyard access token says (RFC 9068 profile). */
export interface AccessTokenClaims {
  issuer: string;
  audience: string;
  /** `sub`: the user id. */
  subject: string;
  /** `scope`, e.g. ["switchyard:admin"]. */
  scopes?: string[];
  /** Lifetime in seconds from `now`. */
  ttlSeconds: number;
  /** `client_id` (RFC 9068 requires one); default "switchyard-dev". */
  clientId?: string;
  now?: Date;
}

/**
 * Signs an access token the verifier accepts: header `{alg, kid, typ: "at+jwt"}`, claims
 * iss, aud, sub, scope, client_id, iat, exp, jti. Used by the dev token issuer and by tests.
 */
export async function signAccessToken(
  key: { privateKey: CryptoKey; kid: string; alg?: string },
  claims: AccessTokenClaims,
): Promise<string> {
  const issuedAt = Math.floor((claims.now ?? new Date()).getTime() / 1000);
  const scope = (claims.scopes ?? []).join(" ");
  return new SignJWT({
    ...(scope === "" ? {} : { scope }),
    client_id: claims.clientId ?? "switchyard-dev",
  })
    .setProtectedHeader({ alg: key.alg ?? "ES256", kid: key.kid, typ: accessTokenType })
    .setIssuer(claims.issuer)
    .setAudience(claims.audience)
    .setSubject(claims.subject)
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + claims.ttlSeconds)
    .setJti(randomUUID())
    .sign(key.privateKey);
}

/** A new ES256 signing key: its private key (and PKCS#8 PEM) and the public JWK, kid = thumbprint. */
export async function generateSigningKey(): Promise<{
  privateKey: CryptoKey;
  privateKeyPem: string;
  publicJwk: JWK;
  kid: string;
}> {
  const { privateKey, publicKey } = await generateKeyPair("ES256", { extractable: true });
  const exported = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(exported);
  return {
    privateKey,
    privateKeyPem: await exportPKCS8(privateKey),
    publicJwk: { ...exported, kid, alg: "ES256", use: "sig" },
    kid,
  };
}
