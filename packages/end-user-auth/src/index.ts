export {
  type AccessTokenClaims,
  generateSigningKey,
  signAccessToken,
} from "./access-token-format.js";
export {
  AccessTokenRejected,
  type AccessTokenVerifier,
  type AccessTokenVerifierOptions,
  accessTokenType,
  createAccessTokenVerifier,
  KeySetUnavailable,
  type RejectionCategory,
} from "./access-token-verifier.js";
export {
  accessTokenVerifierFromConfig,
  accessTokenVerifierFromConfigOrExit,
} from "./access-token-verifier-from-config.js";
export {
  type AuthenticationInterceptorOptions,
  accessTokenKey,
  authenticationInterceptor,
  endUserKey,
  requireEndUser,
} from "./authentication-interceptor.js";
export { bearerChallenge, bearerRealm } from "./bearer-challenge.js";
export {
  asymmetricAlgorithms,
  type EndUserAuthConfig,
  endUserAuthConfigShape,
  maxClockToleranceSeconds,
} from "./end-user-auth-config.js";
export {
  createFileKeySet,
  type FileKeySet,
  type FileKeySetOptions,
  readJwksFile,
} from "./jwks-file.js";
export {
  createVerifiedTokenCache,
  type TokenLookup,
  type VerifiedTokenCache,
  type VerifiedTokenCacheOptions,
  type VerifiedTokenCacheStats,
} from "./verified-token-cache.js";
