import { parseArgs } from "node:util";
import { endUserProblem } from "@switchyard/grpc-kit";

export interface TokenOptions {
  subject: string;
  scopes: string[];
  ttlSeconds: number;
}

/** The longest lifetime a dev token may have. */
export const maxTtlSeconds = 24 * 60 * 60;

export const tokenUsage = `usage: npm run -s token -- --sub <user-id> [--scope <scope>]... [--ttl <duration>]
  --sub     the user id the token is for (its "sub"), e.g. the userId RegisterUser returned
  --scope   a scope to grant, repeatable or space-separated; switchyard:admin reads every user's data
  --ttl     lifetime: 90s, 30m, 1h, 1d (default 1h, at most 24h)
Prints the token alone on stdout, e.g.
  curl -H "Authorization: Bearer $(npm run -s token -- --sub <user-id>)" ...
Signing key: JWT_SIGNING_KEY_FILE, else certs/out/jwt/signing-key.pem (created when missing).`;

/** Reads the command's flags; throws an Error naming the bad flag. */
export function parseTokenOptions(argv: string[]): TokenOptions | "help" {
  const { values } = parseArgs({
    args: argv,
    options: {
      sub: { type: "string" },
      scope: { type: "string", multiple: true },
      ttl: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
    strict: true,
  });
  if (values.help) return "help";
  if (values.sub === undefined || values.sub === "") throw new Error("--sub is required");
  const scopes = (values.scope ?? []).flatMap((scope) => scope.split(" ")).filter(Boolean);
  const problem = endUserProblem({ subject: values.sub, scopes });
  if (problem !== undefined) throw new Error(`--sub/--scope: ${problem}`);
  return { subject: values.sub, scopes, ttlSeconds: parseTtl(values.ttl ?? "1h") };
}

const units: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400 };

function parseTtl(text: string): number {
  const match = /^(\d{1,6})([smhd])$/.exec(text);
  const seconds = match ? Number(match[1]) * (units[match[2] ?? "s"] ?? 1) : Number.NaN;
  if (!Number.isInteger(seconds) || seconds < 1 || seconds > maxTtlSeconds) {
    throw new Error(`--ttl must be like 90s, 30m, 1h or 1d, at most 24h; got "${text}"`);
  }
  return seconds;
}
