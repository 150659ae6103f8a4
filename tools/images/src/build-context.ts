import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import type { Deployable } from "./deployables.js";

/**
 * Repository files the build stage needs that `turbo prune` leaves out: it copies workspaces
 * and root manifests only, but codegen (`buf generate`, run by the contracts package's
 * `generate` task) reads the buf config and the protos, and every tsconfig extends the base.
 */
export const codegenInputs = [
  "tsconfig.base.json",
  "buf.yaml",
  "buf.gen.yaml",
  "proto",
  "third_party/proto",
] as const;

/** Where the build stage finds the production-tree script (see scripts/production-tree.mjs). */
export const productionTreeScriptInContext = ".image/production-tree.mjs";

/** Thrown when `turbo prune` fails or an input of the build is missing. */
export class BuildContextError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "BuildContextError";
  }
}

/**
 * Makes the build context of the given deployables' images in `dir` (replaced): the output of
 * `turbo prune <packages> --docker` (json/ = manifests, full/ = sources, the pruned lockfile)
 * plus the codegen inputs and the production-tree script under full/. One context pruned for
 * several deployables gives their Dockerfiles an identical build stage, built once.
 */
export function prepareBuildContext(options: {
  repositoryRoot: string;
  deployables: readonly Deployable[];
  dir: string;
}): void {
  const { repositoryRoot, dir } = options;
  if (options.deployables.length === 0) throw new BuildContextError("no deployable to prune for");
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });

  const turbo = join(repositoryRoot, "node_modules", ".bin", "turbo");
  const prune = spawnSync(
    turbo,
    ["prune", ...options.deployables.map((d) => d.packageName), "--docker", "--out-dir", dir],
    {
      cwd: repositoryRoot,
      encoding: "utf8",
      env: { ...process.env, TURBO_TELEMETRY_DISABLED: "1" },
    },
  );
  if (prune.status !== 0) {
    throw new BuildContextError(
      `turbo prune failed (exit ${prune.status ?? prune.signal}):\n${prune.stderr || prune.stdout}`,
    );
  }

  const full = join(dir, "full");
  for (const input of codegenInputs) {
    const source = join(repositoryRoot, input);
    if (!existsSync(source)) throw new BuildContextError(`build input missing: ${input}`);
    cpSync(source, join(full, input), { recursive: true });
  }
  cpSync(
    join(repositoryRoot, "tools", "images", "scripts", "production-tree.mjs"),
    join(full, productionTreeScriptInContext),
  );
}
