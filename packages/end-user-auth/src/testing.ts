import { mkdtempSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { CryptoKey, JSONWebKeySet, JWK } from "jose";
import { generateSigningKey, signAccessToken } from "./access-token-format.js";
import type { EndUserAuthConfig } from "./end-user-auth-config.js";

export { generateSigningKey, signAccessToken } from "./access-token-format.js";

/** A token issuer for tests: real ES256 keys, a real JWKS file, real signed tokens. */
export interface TestTokenIssuer {
  issuer: string;
  audience: string;
  /** Key id of the current signing key. */
  kid: string;
  privateKey: CryptoKey;
  /** PKCS#8 PEM of the current signing key (e.g. to prove it never shows up in logs). */
  privateKeyPem: string;
  /** Every public key published so far. */
  jwks(): JSONWebKeySet;
  /** Path of the JWKS file (rewritten atomically by `rotate`). */
  jwksFile: string;
  /** A valid access token for `subject`, 5 minutes. */
  token(subject: string, scopes?: string[]): Promise<string>;
  /** `Bearer <token(subject, scopes)>`, an Authorization header value. */
  authorization(subject: string, scopes?: string[]): Promise<string>;
  /** Makes a new key current, publishes it beside the old ones, returns its kid. */
  rotate(options?: { publish?: boolean }): Promise<string>;
  /** Verifier config trusting this issuer through `jwksFile`. */
  config(overrides?: Partial<EndUserAuthConfig>): EndUserAuthConfig;
  /** The same as environment variables (for a gateway or web-bff process). */
  env(): Record<string, string>;
  remove(): void;
}

/** Creates a test issuer ("https://issuer.test.switchyard" / audience "switchyard-api-test"). */
export async function createTestTokenIssuer(
  options: { issuer?: string; audience?: string } = {},
): Promise<TestTokenIssuer> {
  const issuer = options.issuer ?? "https://issuer.test.switchyard";
  const audience = options.audience ?? "switchyard-api-test";
  const dir = mkdtempSync(join(tmpdir(), "switchyard-test-jwks-"));
  const jwksFile = join(dir, "jwks.json");
  const published: JWK[] = [];
  let current = await generateSigningKey();

  const writeJwks = () => {
    const temporary = `${jwksFile}.tmp`;
    writeFileSync(temporary, JSON.stringify({ keys: published }, null, 2));
    renameSync(temporary, jwksFile);
  };
  published.push(current.publicJwk);
  writeJwks();

  const token = (subject: string, scopes: string[] = []) =>
    signAccessToken(
      { privateKey: current.privateKey, kid: current.kid },
      { issuer, audience, subject, scopes, ttlSeconds: 300 },
    );

  const testIssuer: TestTokenIssuer = {
    issuer,
    audience,
    get kid() {
      return current.kid;
    },
    get privateKey() {
      return current.privateKey;
    },
    get privateKeyPem() {
      return current.privateKeyPem;
    },
    jwks: () => ({ keys: [...published] }),
    jwksFile,
    token,
    authorization: async (subject, scopes) => `Bearer ${await token(subject, scopes)}`,
    async rotate({ publish = true } = {}) {
      current = await generateSigningKey();
      if (publish) {
        published.push(current.publicJwk);
        writeJwks();
      }
      return current.kid;
    },
    config: (overrides = {}) => ({
      JWT_ISSUER: issuer,
      JWT_AUDIENCE: audience,
      JWT_ALGORITHMS: ["ES256"],
      JWT_CLOCK_TOLERANCE_SECONDS: 30,
      JWKS_URL: undefined,
      JWKS_FILE: jwksFile,
      JWKS_COOLDOWN_MS: 0,
      ...overrides,
    }),
    env: () => ({
      JWT_ISSUER: issuer,
      JWT_AUDIENCE: audience,
      JWT_ALGORITHMS: "ES256",
      JWKS_FILE: jwksFile,
    }),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
  return testIssuer;
}
