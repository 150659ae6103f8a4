import { ensureDevJwtKeys } from "./dev-jwt-keys.js";
import { mintDevToken } from "./mint-dev-token.js";
import { parseTokenOptions, tokenUsage } from "./token-options.js";

// npm run -s token -- --sub <user-id> [--scope switchyard:admin] [--ttl 1h]
// The token alone goes to stdout (for $(...)); everything else to stderr.

let options: ReturnType<typeof parseTokenOptions>;
try {
  options = parseTokenOptions(process.argv.slice(2));
} catch (error) {
  process.stderr.write(`${(error as Error).message}\n${tokenUsage}\n`);
  process.exit(2);
}
if (options === "help") {
  process.stdout.write(`${tokenUsage}\n`);
  process.exit(0);
}

// A tool, not a service: its one input besides flags is where the key lives (a mounted secret).
const signingKeyFile =
  process.env.JWT_SIGNING_KEY_FILE ?? (await ensureDevJwtKeys()).signingKeyFile;
const token = await mintDevToken({ signingKeyFile, ...options });
process.stdout.write(`${token}\n`);
