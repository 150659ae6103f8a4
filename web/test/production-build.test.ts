import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";

// Reads the builds `npm run build -w web` made (turbo builds them before the tests).
const dist = fileURLToPath(new URL("../dist", import.meta.url));
const scripts = (build: string) =>
  readdirSync(join(dist, build, "assets"))
    .filter((name) => name.endsWith(".js"))
    .map((name) => readFileSync(join(dist, build, "assets", name), "utf8"));

describe("the production build", () => {
  it("exists (run `npm run build -w web`)", () => {
    expect(existsSync(join(dist, "production", "index.html"))).toBe(true);
    expect(existsSync(join(dist, "devstack", "index.html"))).toBe(true);
  });

  it("has no dev sign-in: no call to the dev token endpoint, no paste-a-token box", () => {
    const production = scripts("production").join("\n");
    expect(production).not.toContain("/dev/token");
    expect(production).not.toContain("paste an access token");
    const devstack = scripts("devstack").join("\n");
    expect(devstack).toContain("/dev/token");
  });

  it("ships less than 200 kB of gzipped JavaScript", () => {
    const gzipped = scripts("production").reduce(
      (total, source) => total + gzipSync(source, { level: 9 }).length,
      0,
    );
    console.info(`production JS: ${(gzipped / 1024).toFixed(1)} kB gzipped`);
    expect(gzipped).toBeLessThan(200 * 1024);
  });
});
