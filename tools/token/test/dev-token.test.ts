import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, statSync, unlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { loadConfig } from "@switchyard/config";
import { accessTokenVerifierFromConfig, endUserAuthConfigShape } from "@switchyard/end-user-auth";
import { createLogger } from "@switchyard/logging";
import { afterEach, describe, expect, it } from "vitest";
import { devJwtSettings, ensureDevJwtKeys, mintDevToken, parseTokenOptions } from "../src/index.js";

const run = promisify(execFile);
const packageDirectory = fileURLToPath(new URL("..", import.meta.url));
const logger = createLogger({ service: "test", level: "silent" });
const directories: string[] = [];
afterEach(() => {
  for (const dir of directories.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function temporaryDirectory(): string {
  const dir = mkdtempSync(join(tmpdir(), "switchyard-token-test-"));
  directories.push(dir);
  return join(dir, "jwt");
}

const verifierFor = (jwksFile: string) =>
  accessTokenVerifierFromConfig(loadConfig(endUserAuthConfigShape, devJwtSettings({ jwksFile })), {
    logger,
  });

describe("dev token issuer", () => {
  it("creates the key pair once (private key 0600), keeps it, and rebuilds a missing JWKS", async () => {
    const dir = temporaryDirectory();
    const first = await ensureDevJwtKeys(dir);
    expect(first.created).toBe(true);
    expect(statSync(first.signingKeyFile).mode & 0o777).toBe(0o600);
    const again = await ensureDevJwtKeys(dir);
    expect(again).toMatchObject({ created: false, kid: first.kid });
    unlinkSync(first.jwksFile);
    expect((await ensureDevJwtKeys(dir)).kid).toBe(first.kid);
    expect(statSync(first.jwksFile).isFile()).toBe(true);
  });

  it("mints a token the gateway's verifier accepts with the dev settings", async () => {
    const keys = await ensureDevJwtKeys(temporaryDirectory());
    const token = await mintDevToken({
      signingKeyFile: keys.signingKeyFile,
      subject: "11111111-1111-4111-8111-111111111111",
      scopes: ["switchyard:admin"],
    });
    expect(await verifierFor(keys.jwksFile).verify(`Bearer ${token}`)).toEqual({
      subject: "11111111-1111-4111-8111-111111111111",
      scopes: ["switchyard:admin"],
    });
    // Another dev key pair's tokens are refused.
    const other = await ensureDevJwtKeys(temporaryDirectory());
    await expect(verifierFor(other.jwksFile).verify(`Bearer ${token}`)).rejects.toMatchObject({
      category: "token signature not accepted",
    });
  });

  it("reads --sub, --scope (repeatable) and --ttl, and refuses bad flags", () => {
    expect(parseTokenOptions(["--sub", "u1"])).toEqual({
      subject: "u1",
      scopes: [],
      ttlSeconds: 3600,
    });
    expect(
      parseTokenOptions([
        "--sub",
        "u1",
        "--scope",
        "switchyard:admin a",
        "--scope",
        "b",
        "--ttl",
        "30m",
      ]),
    ).toEqual({ subject: "u1", scopes: ["switchyard:admin", "a", "b"], ttlSeconds: 1800 });
    expect(() => parseTokenOptions([])).toThrow("--sub is required");
    expect(() => parseTokenOptions(["--sub", "u1", "--ttl", "2d"])).toThrow(/at most 24h/);
    expect(() => parseTokenOptions(["--sub", "two words"])).toThrow(/subject/);
  });

  it("npm run token prints the token alone on stdout, signed by JWT_SIGNING_KEY_FILE", async () => {
    const keys = await ensureDevJwtKeys(temporaryDirectory());
    const { stdout, stderr } = await run(
      process.execPath,
      [
        "--conditions=switchyard-source",
        "--import",
        "tsx",
        "src/token-command.ts",
        "--sub",
        "22222222-2222-4222-8222-222222222222",
        "--ttl",
        "90s",
      ],
      {
        cwd: packageDirectory,
        env: { PATH: process.env.PATH ?? "", JWT_SIGNING_KEY_FILE: keys.signingKeyFile },
      },
    );
    expect(stderr).toBe("");
    expect(stdout).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+\n$/);
    expect(await verifierFor(keys.jwksFile).verify(`Bearer ${stdout.trim()}`)).toMatchObject({
      subject: "22222222-2222-4222-8222-222222222222",
    });
  });
});
