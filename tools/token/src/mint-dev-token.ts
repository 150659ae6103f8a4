import { readFileSync } from "node:fs";
import { signAccessToken } from "@switchyard/end-user-auth";
import { devJwtAudience, devJwtIssuer, readSigningKey } from "./dev-jwt-keys.js";

/**
 * A dev access token for `subject`: ES256, signed with the key in `signingKeyFile`, for the dev
 * issuer and audience, `typ: at+jwt`. What `npm run token` prints and `npm run demo` sends.
 */
export async function mintDevToken(options: {
  signingKeyFile: string;
  subject: string;
  scopes?: string[];
  ttlSeconds?: number;
}): Promise<string> {
  const key = await readSigningKey(readFileSync(options.signingKeyFile, "utf8"));
  return signAccessToken(key, {
    issuer: devJwtIssuer,
    audience: devJwtAudience,
    subject: options.subject,
    scopes: options.scopes ?? [],
    ttlSeconds: options.ttlSeconds ?? 3600,
    clientId: "switchyard-dev-token",
  });
}
