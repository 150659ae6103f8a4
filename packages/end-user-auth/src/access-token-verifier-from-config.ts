import { ConfigError } from "@switchyard/config";
import type { Logger } from "@switchyard/logging";
import { createRemoteJWKSet, type JWTVerifyGetKey } from "jose";
import { type AccessTokenVerifier, createAccessTokenVerifier } from "./access-token-verifier.js";
import type { EndUserAuthConfig } from "./end-user-auth-config.js";
import { createFileKeySet } from "./jwks-file.js";
import { createVerifiedTokenCache, type VerifiedTokenCache } from "./verified-token-cache.js";

/**
 * The verifier a deployment's config describes: keys from JWKS_URL (jose's remote set: cached,
 * re-fetched on an unknown kid after JWKS_COOLDOWN_MS) or JWKS_FILE (`createFileKeySet`).
 * Verified tokens are cached (JWT_CACHE_ENTRIES, default 10 000; 0 turns the cache off) until
 * their `exp`, at most 60 s, and dropped when the key set changes.
 * Throws a ConfigError when neither or both are set, or when the file is not a public JWKS.
 */
export function accessTokenVerifierFromConfig(
  config: EndUserAuthConfig,
  options: { logger: Logger },
): AccessTokenVerifier {
  const { logger } = options;
  const problem = (key: string, text: string) =>
    new ConfigError([{ key, variable: key, problem: text }]);
  if ((config.JWKS_URL === undefined) === (config.JWKS_FILE === undefined)) {
    throw new ConfigError(
      ["JWKS_URL", "JWKS_FILE"].map((key) => ({
        key,
        variable: key,
        problem: "set exactly one of JWKS_URL and JWKS_FILE (the issuer's public keys)",
      })),
    );
  }
  let keys: JWTVerifyGetKey;
  let keySetVersion: () => unknown;
  if (config.JWKS_URL !== undefined) {
    const remote = createRemoteJWKSet(new URL(config.JWKS_URL), {
      cooldownDuration: config.JWKS_COOLDOWN_MS,
      timeoutDuration: 5_000,
    });
    keys = remote;
    // jose re-fetches a stale set only when it verifies; with most requests answered from the
    // token cache, a stale set is refreshed here instead (in the background, errors keep the
    // last good keys). A new fetch is a new object: the cache sees it as a rotation.
    keySetVersion = () => {
      if (!remote.fresh && !remote.reloading) {
        remote.reload().catch((error: unknown) => {
          logger.warn({ err: error }, "JWKS refresh failed; keeping the last good keys");
        });
      }
      return remote.jwks();
    };
  } else {
    const path = config.JWKS_FILE as string;
    try {
      const file = createFileKeySet(path, {
        cooldownMs: config.JWKS_COOLDOWN_MS,
        onReloadError: (error) =>
          logger.warn({ err: error, path }, "JWKS file re-read failed; keeping the last good keys"),
      });
      keys = file;
      keySetVersion = () => file.version();
    } catch (error) {
      throw problem("JWKS_FILE", (error as Error).message);
    }
  }
  const maxEntries = config.JWT_CACHE_ENTRIES ?? 10_000;
  const cache: VerifiedTokenCache | undefined =
    maxEntries === 0 ? undefined : createVerifiedTokenCache({ keySetVersion, maxEntries });
  logger.info(
    {
      jwks: config.JWKS_URL ?? config.JWKS_FILE,
      issuer: config.JWT_ISSUER,
      audience: config.JWT_AUDIENCE,
      algorithms: config.JWT_ALGORITHMS,
      verifiedTokenCache: maxEntries,
    },
    "end-user access tokens: verifier ready",
  );
  return createAccessTokenVerifier({
    keys,
    issuer: config.JWT_ISSUER,
    audience: config.JWT_AUDIENCE,
    algorithms: config.JWT_ALGORITHMS,
    clockToleranceSeconds: config.JWT_CLOCK_TOLERANCE_SECONDS,
    ...(cache === undefined ? {} : { cache }),
  });
}

/** `accessTokenVerifierFromConfig`, or the problem on stderr and exit 78 (EX_CONFIG). */
export function accessTokenVerifierFromConfigOrExit(
  config: EndUserAuthConfig,
  options: { logger: Logger },
): AccessTokenVerifier {
  try {
    return accessTokenVerifierFromConfig(config, options);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    return process.exit(78);
  }
}
