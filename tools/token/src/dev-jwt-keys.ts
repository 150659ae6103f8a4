import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { generateSigningKey } from "@switchyard/end-user-auth";
import { type CryptoKey, calculateJwkThumbprint, exportJWK, importPKCS8, type JWK } from "jose";

/** Issuer of dev access tokens; the gateway and web-bff require it in dev (JWT_ISSUER). */
export const devJwtIssuer = "https://dev-issuer.switchyard.local";
/** Audience of dev access tokens: the public API (JWT_AUDIENCE). */
export const devJwtAudience = "switchyard-api";

/** certs/out/jwt/ at the repository root: git-ignored, like every dev key. */
export const defaultDevJwtKeysDirectory = fileURLToPath(
  new URL("../../../certs/out/jwt/", import.meta.url),
);

export interface DevJwtKeys {
  dir: string;
  /** PKCS#8 PEM of the ES256 signing key (mode 0600): the secret. */
  signingKeyFile: string;
  /** The public JWKS the gateway and web-bff trust (JWKS_FILE). */
  jwksFile: string;
  kid: string;
  /** True when this call created the key pair. */
  created: boolean;
}

/**
 * Makes sure the dev signing key and its public JWKS exist in `dir` (default certs/out/jwt/),
 * creating them when missing; the JWKS is rebuilt from the key if only it is missing. Safe to
 * call on every `npm start` and `npm run token`: an existing key is kept, so tokens minted
 * earlier stay valid.
 */
export async function ensureDevJwtKeys(dir = defaultDevJwtKeysDirectory): Promise<DevJwtKeys> {
  const signingKeyFile = join(dir, "signing-key.pem");
  const jwksFile = join(dir, "jwks.json");
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  let created = false;
  if (!existsSync(signingKeyFile)) {
    const { privateKeyPem } = await generateSigningKey();
    writeAtomically(signingKeyFile, privateKeyPem, 0o600);
    created = true;
  }
  const publicJwk = await publicJwkOf(readFileSync(signingKeyFile, "utf8"));
  const jwks = `${JSON.stringify({ keys: [publicJwk] }, null, 2)}\n`;
  if (created || !existsSync(jwksFile) || readFileSync(jwksFile, "utf8") !== jwks) {
    writeAtomically(jwksFile, jwks, 0o644);
  }
  return { dir, signingKeyFile, jwksFile, kid: publicJwk.kid ?? "", created };
}

/** Reads the signing key (PKCS#8 PEM) and its kid, for minting. */
export async function readSigningKey(
  signingKeyPem: string,
): Promise<{ privateKey: CryptoKey; kid: string }> {
  const privateKey = await importPKCS8(signingKeyPem, "ES256");
  const { kid = "" } = await publicJwkOf(signingKeyPem);
  return { privateKey, kid };
}

/**
 * The env a gateway and a web-bff need to trust dev tokens (what the devstack passes them).
 */
export function devJwtSettings(keys: Pick<DevJwtKeys, "jwksFile">): Record<string, string> {
  return {
    JWKS_FILE: keys.jwksFile,
    JWT_ISSUER: devJwtIssuer,
    JWT_AUDIENCE: devJwtAudience,
    JWT_ALGORITHMS: "ES256",
  };
}

async function publicJwkOf(signingKeyPem: string): Promise<JWK> {
  const extractable = await importPKCS8(signingKeyPem, "ES256", { extractable: true });
  const { kty, crv, x, y } = await exportJWK(extractable);
  const publicJwk = { kty, crv, x, y } as JWK;
  const kid = await calculateJwkThumbprint(publicJwk);
  return { ...publicJwk, kid, alg: "ES256", use: "sig" };
}

function writeAtomically(path: string, content: string, mode: number): void {
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, content, { mode });
  chmodSync(temporary, mode);
  renameSync(temporary, path);
}
