import { z } from "zod";

/**
 * Signature algorithms an access token may be configured to use: asymmetric only. HMAC ("HS256")
 * would let anyone holding the verification key mint tokens, and "none" is no signature at all.
 */
export const asymmetricAlgorithms = [
  "ES256",
  "ES384",
  "ES512",
  "EdDSA",
  "Ed25519",
  "RS256",
  "RS384",
  "RS512",
  "PS256",
  "PS384",
  "PS512",
] as const;

/** The most clock skew a deployment may tolerate on exp/nbf. */
export const maxClockToleranceSeconds = 60;

const algorithmList = z
  .string()
  .transform((value) =>
    value
      .split(",")
      .map((algorithm) => algorithm.trim())
      .filter((algorithm) => algorithm !== ""),
  )
  .pipe(
    z
      .array(z.enum(asymmetricAlgorithms, { error: `allowed: ${asymmetricAlgorithms.join(", ")}` }))
      .min(1),
  );

const jwksUrl = z.url().refine((value) => {
  const url = new URL(value);
  if (url.protocol === "https:") return true;
  // Plain http only for a key server on this machine (dev, tests): keys fetched over the
  // network without TLS could be swapped by anyone on the path.
  return url.protocol === "http:" && ["127.0.0.1", "localhost", "[::1]"].includes(url.hostname);
}, "must be an https:// URL (http:// only for 127.0.0.1 / localhost)");

/**
 * Config keys of end-user authentication (JWT access tokens); spread into the gateway's and
 * web-bff's config shapes. Exactly one of JWKS_URL / JWKS_FILE is required (checked when the
 * verifier is built).
 */
export const endUserAuthConfigShape = {
  /** Required `iss` of every access token, e.g. https://login.example.com/. */
  JWT_ISSUER: z.string().min(1),
  /** Required `aud` (one of) of every access token: this API's identifier. */
  JWT_AUDIENCE: z.string().min(1),
  /** Pinned signature algorithms, comma-separated; asymmetric only. */
  JWT_ALGORITHMS: algorithmList.default(["ES256"]),
  /** Clock skew tolerated on `exp` and `nbf`, at most 60 s. */
  JWT_CLOCK_TOLERANCE_SECONDS: z.coerce
    .number()
    .int()
    .min(0)
    .max(maxClockToleranceSeconds)
    .default(30),
  /** The issuer's JWKS endpoint (fetched, cached, re-fetched on an unknown `kid`). */
  JWKS_URL: jwksUrl.optional(),
  /** A JWKS JSON file with PUBLIC keys (re-read when it changes or on an unknown `kid`). */
  JWKS_FILE: z.string().min(1).optional(),
  /** Least time between two key-set reloads caused by unknown `kid`s (rate limit). */
  JWKS_COOLDOWN_MS: z.coerce.number().int().min(0).default(30_000),
  /**
   * Verified tokens remembered (until `exp`, at most 60 s, flushed on a key-set change), so a
   * repeat request skips the signature check. Default 10 000; 0 turns the cache off.
   */
  JWT_CACHE_ENTRIES: z.coerce.number().int().min(0).optional(),
} satisfies z.ZodRawShape;

export type EndUserAuthConfig = z.infer<z.ZodObject<typeof endUserAuthConfigShape>>;
