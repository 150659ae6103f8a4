import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const fixture = fileURLToPath(new URL("./fixtures/load-invalid-config.ts", import.meta.url));

function runFixture(env: Record<string, string>) {
  return spawnSync(process.execPath, ["--import", "tsx", fixture], {
    env: { PATH: process.env.PATH, ...env },
    encoding: "utf8",
  });
}

describe("loadConfigOrExit", () => {
  it("prints every offending key to stderr and exits 78, without the secret", () => {
    const result = runFixture({ GRPC_PORT: "x", DATABASE_PASSWORD: "short-s3cr3t" });
    expect(result.status).toBe(78);
    expect(result.stdout).toBe("");
    expect(result.stderr).toContain("invalid configuration:\n  GRPC_PORT:");
    expect(result.stderr).toContain("  DATABASE_PASSWORD: ");
    expect(result.stderr).not.toContain("s3cr3t");
  });

  it("returns the config when it is valid", () => {
    const result = runFixture({ GRPC_PORT: "50051", DATABASE_PASSWORD: "p".repeat(40) });
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    expect(result.stdout).toBe("config loaded\n");
  });
});
