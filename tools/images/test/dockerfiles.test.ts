import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { deployables } from "../src/deployables.js";

// Dockerfile text, not a template: "${NODE_IMAGE}" is the build argument.
const fromBase = "FROM $" + "{NODE_IMAGE}";
const repositoryRoot = fileURLToPath(new URL("../../..", import.meta.url));
const dockerfileOf = (folder: string) =>
  readFileSync(join(repositoryRoot, folder, "Dockerfile"), "utf8");

/** The instructions of the build stage, up to the deployable-specific production-tree step. */
function buildStage(dockerfile: string): string[] {
  const start = dockerfile.indexOf(`${fromBase} AS build`);
  const end = dockerfile.indexOf("RUN node .image/production-tree.mjs");
  // Comments are not part of a layer's cache key; instructions are.
  return dockerfile
    .slice(start, end)
    .split("\n")
    .filter((line) => line.trim() !== "" && !line.startsWith("#"));
}

describe("Dockerfiles", () => {
  it.each(deployables.map((d) => [d.name, d] as const))(
    "%s: Node 24 slim by default, non-root, starts its own entry",
    (_name, deployable) => {
      const dockerfile = dockerfileOf(deployable.folder);
      expect(dockerfile).toMatch(/^ARG NODE_IMAGE=node:24-bookworm-slim$/m);
      // Both stages come from the build argument, so a local or mirrored base replaces both.
      expect(dockerfile.match(/^FROM .*/gm)).toEqual([`${fromBase} AS build`, fromBase]);
      expect(dockerfile).toContain(
        `RUN node .image/production-tree.mjs ${deployable.packageName} /production`,
      );
      const user = dockerfile.match(/^USER (\d+):(\d+)$/m);
      expect(user, "USER uid:gid, numeric").not.toBeNull();
      expect(Number(user?.[1])).toBeGreaterThan(0);
      expect(dockerfile).toContain(`CMD ["node", "${deployable.entry}"]`);
      const lastUser = dockerfile.lastIndexOf("\nUSER ");
      expect(lastUser).toBeGreaterThan(dockerfile.lastIndexOf("\nFROM "));
    },
  );

  it("every entry the images start has a source file", () => {
    for (const deployable of deployables) {
      for (const entry of [deployable.entry, deployable.migrationEntry]) {
        if (entry === undefined) continue;
        const source = entry.replace("/dist/", "/src/").replace(/\.js$/, ".ts");
        expect(existsSync(join(repositoryRoot, source)), source).toBe(true);
      }
    }
  });

  it("share one build stage, so one context builds it once for every image", () => {
    const stages = deployables.map((d) => buildStage(dockerfileOf(d.folder)));
    expect(stages[0]?.join("\n")).toContain("npm ci");
    for (const stage of stages) expect(stage).toEqual(stages[0]);
  });
});
