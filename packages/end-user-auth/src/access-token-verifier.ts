import { type EndUser, endUserProblem } from "@switchyard/grpc-kit";
import { errors, type JWTVerifyGetKey, jwtVerify } from "jose";
import type { VerifiedTokenCache } from "./verified-token-cache.js";

/** The JWT `typ` every access token must carry (RFC 9068: JWT profile for OAuth 2.0 access tokens). */
export const accessTokenType = "at+jwt";

// RFC 6750 §2.1: "Bearer" 1*SP b64token. The length cap keeps absurd headers away from crypto.
const bearerPattern = /^Bearer +([A-Za-z0-9\-._~+/]+=*)$/i;
const maxTokenLength = 8 * 1024;

/** Client-safe categories of a refused token: what `error_description` may say, nothing more. */
export type RejectionCategory =
  | "missing bearer token"
  | "malformed token"
  | "token expired"
  | "token not yet valid"
  | "token signature not accepted"
  | "token claims not accepted";

/** A request whose access token is missing or not accepted: answer 401 with a Bearer challenge. */
export class AccessTokenRejected extends Error {
  override readonly name = "AccessTokenRejected";
  /** RFC 6750 error code; undefined when the request carried no bearer token at all. */
  readonly errorCode: "invalid_token" | undefined;
  /** Internal detail for the log (jose's code and claim); never sent to the client. */
  readonly reason: string;

  constructor(
    readonly category: RejectionCategory,
    reason: string,
  ) {
    super(category);
    this.errorCode = category === "missing bearer token" ? undefined : "invalid_token";
    this.reason = reason;
  }
}

/** The key set could not be fetched or read: not the client's fault (answer 503, not 401). */
export class KeySetUnavailable extends Error {
  override readonly name = "KeySetUnavailable";
}

export interface AccessTokenVerifierOptions {
  /** Key resolver: `createRemoteJWKSet(url)` or `createFileKeySet(path)`. */
  keys: JWTVerifyGetKey;
  /** Required `iss`. */
  issuer: string;
  /** Required `aud` (the token's audience must include it). */
  audience: string;
  /** Pinned algorithms; a token signed with anything else is refused before any key lookup. */
  algorithms: string[];
  /** Skew tolerated on exp/nbf, in seconds (capped at 60 by the config). */
  clockToleranceSeconds: number;
  /** For tests: the verifier's clock. */
  currentDate?: () => Date;
  /**
   * Tokens verified before, answered without a signature check (`createVerifiedTokenCache`).
   * Only successes are cached: a refused token is checked again every time.
   */
  cache?: VerifiedTokenCache;
}

export interface AccessTokenVerifier {
  /**
   * Verifies the bearer token of an `Authorization` header value and returns its end user
   * (`sub`, `scope`). Rejects with AccessTokenRejected (→ 401) or KeySetUnavailable (→ 503).
   */
  verify(authorization: string | null | undefined): Promise<EndUser>;
}

/**
 * A verifier of JWT access tokens with everything pinned: algorithms, issuer, audience,
 * `typ: at+jwt`, `sub` and `exp` required, clock tolerance. Built once, used for every request.
 */
export function createAccessTokenVerifier(
  options: AccessTokenVerifierOptions,
): AccessTokenVerifier {
  const verifyOptions = {
    algorithms: options.algorithms,
    issuer: options.issuer,
    audience: options.audience,
    typ: accessTokenType,
    clockTolerance: options.clockToleranceSeconds,
    requiredClaims: ["sub", "exp"],
  };
  return {
    async verify(authorization) {
      if (authorization === null || authorization === undefined || authorization.trim() === "") {
        throw new AccessTokenRejected("missing bearer token", "no Authorization header");
      }
      if (!/^Bearer(\s|$)/i.test(authorization)) {
        throw new AccessTokenRejected(
          "missing bearer token",
          "Authorization is not a Bearer scheme",
        );
      }
      const token = bearerPattern.exec(authorization)?.[1];
      if (token === undefined || token.length > maxTokenLength) {
        throw new AccessTokenRejected("malformed token", "not an RFC 6750 b64token");
      }
      const cached = options.cache?.lookup(token);
      if (cached?.endUser !== undefined) return cached.endUser;
      let payload: Record<string, unknown>;
      try {
        const currentDate = options.currentDate?.();
        ({ payload } = await jwtVerify(token, options.keys, {
          ...verifyOptions,
          ...(currentDate === undefined ? {} : { currentDate }),
        }));
      } catch (error) {
        throw classify(error);
      }
      const endUser = endUserOf(payload);
      // `exp` is a required claim, so jwtVerify has checked it is a number.
      if (cached !== undefined) {
        options.cache?.remember(token, endUser, payload.exp as number, cached.keySetVersion);
      }
      return endUser;
    },
  };
}

function endUserOf(payload: Record<string, unknown>): EndUser {
  const { sub, scope } = payload;
  if (typeof sub !== "string") {
    throw new AccessTokenRejected("token claims not accepted", "sub is not a string");
  }
  if (scope !== undefined && typeof scope !== "string") {
    throw new AccessTokenRejected("token claims not accepted", "scope is not a string");
  }
  const endUser = { subject: sub, scopes: (scope ?? "").split(" ").filter((s) => s !== "") };
  const problem = endUserProblem(endUser);
  if (problem !== undefined) {
    throw new AccessTokenRejected("token claims not accepted", `unusable sub or scope: ${problem}`);
  }
  return endUser;
}

function classify(error: unknown): AccessTokenRejected | KeySetUnavailable {
  if (!(error instanceof errors.JOSEError)) {
    return new KeySetUnavailable(`key set unavailable: ${(error as Error)?.message ?? error}`, {
      cause: error,
    });
  }
  const reason = `${error.code}: ${error.message}`;
  if (error instanceof errors.JWTExpired) return new AccessTokenRejected("token expired", reason);
  if (error instanceof errors.JWTClaimValidationFailed) {
    return new AccessTokenRejected(
      error.claim === "nbf" ? "token not yet valid" : "token claims not accepted",
      `${reason} (claim ${error.claim})`,
    );
  }
  if (error instanceof errors.JWKSTimeout || error instanceof errors.JWKSInvalid) {
    return new KeySetUnavailable(reason, { cause: error });
  }
  if (error instanceof errors.JWSInvalid || error instanceof errors.JWTInvalid) {
    return new AccessTokenRejected("malformed token", reason);
  }
  // Algorithm not allowed, no/several matching keys, bad signature, unsupported key.
  return new AccessTokenRejected("token signature not accepted", reason);
}
