import type { AccessTokenRejected } from "./access-token-verifier.js";

/** The protection space named in every challenge. */
export const bearerRealm = "switchyard";

/**
 * The `WWW-Authenticate` value for a refused request (RFC 6750 §3): `Bearer realm="switchyard"`
 * alone when it carried no token (the client simply did not know it needs one), plus
 * `error="invalid_token", error_description="<category>"` when its token was refused.
 */
export function bearerChallenge(rejection: AccessTokenRejected): string {
  const realm = `Bearer realm="${bearerRealm}"`;
  if (rejection.errorCode === undefined) return realm;
  return `${realm}, error="${rejection.errorCode}", error_description="${rejection.category}"`;
}
