import { ConfigError, loadConfig } from "@switchyard/config";
import { createLogger } from "@switchyard/logging";
import { describe, expect, it } from "vitest";
import { accessTokenVerifierFromConfig, endUserAuthConfigShape } from "../src/index.js";

const logger = createLogger({ service: "test", level: "silent" });
const base = { JWT_ISSUER: "https://issuer.example", JWT_AUDIENCE: "switchyard-api" };

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(endUserAuthConfigShape, env);
  } catch (error) {
    if (error instanceof ConfigError) return error.keys;
    throw error;
  }
  return [];
}

describe("end-user auth config", () => {
  it("requires the issuer and the audience", () => {
    expect(problems({ JWKS_FILE: "/x" })).toEqual(["JWT_ISSUER", "JWT_AUDIENCE"]);
  });

  it("pins ES256 by default and accepts only asymmetric algorithms", () => {
    expect(loadConfig(endUserAuthConfigShape, base).JWT_ALGORITHMS).toEqual(["ES256"]);
    expect(
      loadConfig(endUserAuthConfigShape, { ...base, JWT_ALGORITHMS: "ES256, RS256" })
        .JWT_ALGORITHMS,
    ).toEqual(["ES256", "RS256"]);
    expect(problems({ ...base, JWT_ALGORITHMS: "HS256" })).toEqual(["JWT_ALGORITHMS"]);
    expect(problems({ ...base, JWT_ALGORITHMS: "none" })).toEqual(["JWT_ALGORITHMS"]);
  });

  it("caps the clock tolerance at 60 seconds", () => {
    expect(loadConfig(endUserAuthConfigShape, base).JWT_CLOCK_TOLERANCE_SECONDS).toBe(30);
    expect(problems({ ...base, JWT_CLOCK_TOLERANCE_SECONDS: "61" })).toEqual([
      "JWT_CLOCK_TOLERANCE_SECONDS",
    ]);
  });

  it("takes keys over https, or http on this machine only", () => {
    expect(problems({ ...base, JWKS_URL: "https://login.example/jwks.json" })).toEqual([]);
    expect(problems({ ...base, JWKS_URL: "http://127.0.0.1:9/jwks.json" })).toEqual([]);
    expect(problems({ ...base, JWKS_URL: "http://login.example/jwks.json" })).toEqual(["JWKS_URL"]);
  });

  it("needs exactly one key source, and a readable public JWKS file", () => {
    const config = loadConfig(endUserAuthConfigShape, base);
    const keysOf = (overrides: Record<string, string>) => {
      try {
        accessTokenVerifierFromConfig({ ...config, ...overrides }, { logger });
        return [];
      } catch (error) {
        return (error as ConfigError).keys;
      }
    };
    expect(keysOf({})).toEqual(["JWKS_URL", "JWKS_FILE"]);
    expect(keysOf({ JWKS_URL: "https://a.example/j", JWKS_FILE: "/j.json" })).toEqual([
      "JWKS_URL",
      "JWKS_FILE",
    ]);
    expect(keysOf({ JWKS_FILE: "/nonexistent/jwks.json" })).toEqual(["JWKS_FILE"]);
  });
});
