import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import {
  BuildContextError,
  codegenInputs,
  prepareBuildContext,
  productionTreeScriptInContext,
} from "../src/build-context.js";
import { selectDeployables } from "../src/deployables.js";

const repositoryRoot = fileURLToPath(new URL("../../..", import.meta.url));
const workDir = mkdtempSync(join(tmpdir(), "images-context-"));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

describe("build context", () => {
  it("is the turbo prune output plus the codegen inputs prune leaves out", () => {
    const dir = join(workDir, "user-service");
    prepareBuildContext({ repositoryRoot, deployables: selectDeployables(["user-service"]), dir });

    expect(readdirSync(dir).sort()).toEqual(["full", "json", "package-lock.json"]);
    for (const input of codegenInputs)
      expect(existsSync(join(dir, "full", input)), input).toBe(true);
    expect(existsSync(join(dir, "full", productionTreeScriptInContext))).toBe(true);
    expect(existsSync(join(dir, "json", "services", "user-service", "package.json"))).toBe(true);
    // Pruned: nothing user-service does not depend on (even as a devDependency).
    expect(existsSync(join(dir, "full", "gateway"))).toBe(false);
    // Git-ignored generated code is not copied: the build stage generates it.
    expect(existsSync(join(dir, "full", "packages", "contracts", "src", "gen"))).toBe(false);
    const lockfile = JSON.parse(readFileSync(join(dir, "package-lock.json"), "utf8"));
    expect(Object.keys(lockfile.packages)).not.toContain("gateway");
  });

  it("refuses to prune for no deployable", () => {
    expect(() =>
      prepareBuildContext({ repositoryRoot, deployables: [], dir: join(workDir, "none") }),
    ).toThrow(BuildContextError);
  });
});
