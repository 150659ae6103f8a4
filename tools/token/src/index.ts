export {
  type DevJwtKeys,
  defaultDevJwtKeysDirectory,
  devJwtAudience,
  devJwtIssuer,
  devJwtSettings,
  ensureDevJwtKeys,
  readSigningKey,
} from "./dev-jwt-keys.js";
export { mintDevToken } from "./mint-dev-token.js";
export {
  maxTtlSeconds,
  parseTokenOptions,
  type TokenOptions,
  tokenUsage,
} from "./token-options.js";
