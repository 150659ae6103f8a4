import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { provisionServiceDatabase } from "@switchyard/database";

/**
 * Gives a component its own database and role, and writes the role's connection URL to a file
 * the component reads through `DATABASE_URL_FILE` (the secret never travels in argv or env).
 * The password is generated once and kept in the state dir, so restarts reuse it.
 */
export async function provisionDatabaseSecret(options: {
  adminUrl: string;
  secretsDir: string;
  database: string;
  role: string;
}): Promise<string> {
  mkdirSync(options.secretsDir, { recursive: true, mode: 0o700 });
  const passwordFile = join(options.secretsDir, `${options.role}.password`);
  if (!existsSync(passwordFile)) {
    writeFileSync(passwordFile, randomBytes(24).toString("base64url"), { mode: 0o600 });
  }
  const password = readFileSync(passwordFile, "utf8").trim();
  const { url } = await provisionServiceDatabase(options.adminUrl, {
    database: options.database,
    role: options.role,
    password,
  });
  const urlFile = join(options.secretsDir, `${options.role}.database-url`);
  writeFileSync(urlFile, url, { mode: 0o600 });
  chmodSync(urlFile, 0o600);
  return urlFile;
}
