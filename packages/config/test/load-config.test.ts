import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { ConfigError, loadConfig, redactConfig, secret } from "../src/index.js";

const directory = mkdtempSync(join(tmpdir(), "switchyard-config-"));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

function writeSecretFile(name: string, content: string): string {
  const path = join(directory, name);
  writeFileSync(path, content);
  return path;
}

function configError(run: () => unknown): ConfigError {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error("expected a ConfigError");
}

const shape = {
  GRPC_PORT: z.coerce.number().int().min(1).max(65535),
  DATABASE_URL: secret(z.string().url()),
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error"]).default("info"),
  FEATURE_FLAGS: z.stringbool().default(false),
};

describe("loadConfig", () => {
  it("coerces strings and applies defaults", () => {
    const config = loadConfig(shape, { GRPC_PORT: "50051", DATABASE_URL: "postgres://db/users" });
    expect(config).toEqual({
      GRPC_PORT: 50051,
      DATABASE_URL: "postgres://db/users",
      LOG_LEVEL: "info",
      FEATURE_FLAGS: false,
    });
  });

  it("treats an empty env value as unset so the default applies", () => {
    const config = loadConfig(shape, {
      GRPC_PORT: "1",
      DATABASE_URL: "postgres://db/users",
      LOG_LEVEL: "",
      FEATURE_FLAGS: "yes",
    });
    expect(config.LOG_LEVEL).toBe("info");
    expect(config.FEATURE_FLAGS).toBe(true);
  });

  it("names every offending key at once, one line each, in schema order", () => {
    const error = configError(() => loadConfig(shape, { GRPC_PORT: "abc", LOG_LEVEL: "loud" }));
    expect(error.keys).toEqual(["GRPC_PORT", "DATABASE_URL", "LOG_LEVEL"]);
    const lines = error.message.split("\n");
    expect(lines[0]).toBe("invalid configuration:");
    expect(lines[1]).toMatch(/^ {2}GRPC_PORT: .*expected number.*\(got "abc"\)$/);
    expect(lines[2]).toBe("  DATABASE_URL: required");
    expect(lines[3]).toMatch(/^ {2}LOG_LEVEL: .*"debug".*\(got "loud"\)$/);
    expect(lines).toHaveLength(4);
  });

  it("reads K_FILE and trims exactly one trailing newline", () => {
    const path = writeSecretFile("database-url", "postgres://db/users\n");
    const config = loadConfig(shape, { GRPC_PORT: "1", DATABASE_URL_FILE: path });
    expect(config.DATABASE_URL).toBe("postgres://db/users");

    const padded = writeSecretFile("token", "abc\n\n");
    const tokenShape = { TOKEN: z.string() };
    expect(loadConfig(tokenShape, { TOKEN_FILE: padded }).TOKEN).toBe("abc\n");
  });

  it("names K_FILE and the path when the file cannot be read", () => {
    const missing = join(directory, "does-not-exist");
    const error = configError(() =>
      loadConfig(shape, { GRPC_PORT: "1", DATABASE_URL_FILE: missing }),
    );
    expect(error.keys).toEqual(["DATABASE_URL"]);
    expect(error.message).toBe(
      `invalid configuration:\n  DATABASE_URL_FILE: cannot read ${missing}: ENOENT`,
    );
  });

  it("rejects a key given both as K and as K_FILE", () => {
    const path = writeSecretFile("both", "postgres://db/users");
    const error = configError(() =>
      loadConfig(shape, {
        GRPC_PORT: "1",
        DATABASE_URL: "postgres://db/other",
        DATABASE_URL_FILE: path,
      }),
    );
    expect(error.keys).toEqual(["DATABASE_URL"]);
    expect(error.message).toContain(
      "DATABASE_URL: set either DATABASE_URL or DATABASE_URL_FILE, not both",
    );
    expect(error.message).not.toContain("postgres://");
  });

  it("never puts a secret from a file into an error message or redacted output", () => {
    const value = "not-a-url-s3cr3t";
    const path = writeSecretFile("bad-secret", `${value}\n`);
    const error = configError(() => loadConfig(shape, { GRPC_PORT: "1", DATABASE_URL_FILE: path }));
    expect(error.message).toContain("DATABASE_URL:");
    expect(error.message).not.toContain(value);

    const echoing = {
      API_TOKEN: secret(z.string().min(40, { error: (issue) => `too short: ${issue.input}` })),
    };
    const echoed = configError(() => loadConfig(echoing, { API_TOKEN: value }));
    expect(echoed.message).toBe(
      "invalid configuration:\n  API_TOKEN: invalid value (secret, not shown)",
    );

    const good = writeSecretFile("good-secret", "postgres://user:s3cr3t@db/users\n");
    const config = loadConfig(shape, { GRPC_PORT: "1", DATABASE_URL_FILE: good });
    const printed = JSON.stringify(redactConfig(shape, config));
    expect(printed).not.toContain("s3cr3t");
    expect(printed).toContain('"DATABASE_URL":"[redacted]"');
  });
});
