import { ConfigError } from "@switchyard/config";
import type { Logger } from "@switchyard/logging";
import { createRemoteJWKSet, type JWTVerifyGetKey } from "jose";
import { type AccessTokenVerifier, createAccessTokenVerifier } from "./access-token-verifier.js";
import type { EndUserAuthConfig } from "./end-user-auth-config.js";
import { createFileKeySet } from "./jwks-file.js";

/**
 * The verifier a deployment's config describes: keys from JWKS_URL (jose's remote set: cached,
 * re-fetched on an unknown kid after JWKS_COOLDOWN_MS) or JWKS_FILE (`createFileKeySet`).
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
  if (config.JWKS_URL !== undefined) {
    keys = createRemoteJWKSet(new URL(config.JWKS_URL), {
      cooldownDuration: config.JWKS_COOLDOWN_MS,
      timeoutDuration: 5_000,
    });
  } else {
    const path = config.JWKS_FILE as string;
    try {
      keys = createFileKeySet(path, {
        cooldownMs: config.JWKS_COOLDOWN_MS,
        onReloadError: (error) =>
          logger.warn({ err: error, path }, "JWKS file re-read failed; keeping the last good keys"),
      });
    } catch (error) {
      throw problem("JWKS_FILE", (error as Error).message);
    }
  }
  logger.info(
    {
      jwks: config.JWKS_URL ?? config.JWKS_FILE,
      issuer: config.JWT_ISSUER,
      audience: config.JWT_AUDIENCE,
      algorithms: config.JWT_ALGORITHMS,
    },
    "end-user access tokens: verifier ready",
  );
  return createAccessTokenVerifier({
    keys,
    issuer: config.JWT_ISSUER,
    audience: config.JWT_AUDIENCE,
    algorithms: config.JWT_ALGORITHMS,
    clockToleranceSeconds: config.JWT_CLOCK_TOLERANCE_SECONDS,
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
