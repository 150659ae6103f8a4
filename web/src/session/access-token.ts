/** The claims the app reads from its own access token (display only: the gateway verifies it). */
export interface AccessTokenClaims {
  subject: string;
  expiresAt: Date | undefined;
}

/** Reads `sub` and `exp` from a JWT's payload; undefined when it is not a JWT with a subject. */
export function readAccessTokenClaims(token: string): AccessTokenClaims | undefined {
  const payload = token.trim().split(".")[1];
  if (!payload) return undefined;
  try {
    const base64 = payload.replace(/-/g, "+").replace(/_/g, "/");
    const claims = JSON.parse(atob(base64.padEnd(Math.ceil(base64.length / 4) * 4, "=")));
    if (typeof claims.sub !== "string" || claims.sub === "") return undefined;
    return {
      subject: claims.sub,
      expiresAt: typeof claims.exp === "number" ? new Date(claims.exp * 1000) : undefined,
    };
  } catch {
    return undefined;
  }
}
