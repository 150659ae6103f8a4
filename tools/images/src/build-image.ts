import { join } from "node:path";
import type { ContainerEngine } from "./container-engine.js";
import type { Deployable } from "./deployables.js";
import { runEngine } from "./run-engine.js";

export interface BuiltImage {
  deployable: Deployable;
  image: string;
  durationMs: number;
  sizeBytes: number;
}

/** The image reference of a deployable: `<repository>/<name>:<tag>`. */
export function imageReference(repository: string, deployable: Deployable, tag: string): string {
  return `${repository}/${deployable.name}:${tag}`;
}

/**
 * Builds one deployable's image from its Dockerfile and a context made by prepareBuildContext.
 * `nodeImage` overrides the Dockerfile's NODE_IMAGE default (a local base, a mirror, a digest).
 */
export async function buildImage(
  engine: ContainerEngine,
  options: {
    repositoryRoot: string;
    contextDir: string;
    deployable: Deployable;
    image: string;
    nodeImage?: string | undefined;
    echo?: boolean;
  },
): Promise<BuiltImage> {
  const args = [
    "build",
    "--file",
    join(options.repositoryRoot, options.deployable.folder, "Dockerfile"),
    "--tag",
    options.image,
  ];
  if (options.nodeImage) args.push("--build-arg", `NODE_IMAGE=${options.nodeImage}`);
  if (engine.network) args.push(`--network=${engine.network}`);
  if (engine.kind === "podman") args.push(`--layers=${engine.layers}`);
  args.push(options.contextDir);
  const build = await runEngine(engine, args, { echo: options.echo ?? false });
  const inspect = await runEngine(engine, [
    "image",
    "inspect",
    "--format",
    "{{.Size}}",
    options.image,
  ]);
  return {
    deployable: options.deployable,
    image: options.image,
    durationMs: build.durationMs,
    sizeBytes: Number(inspect.stdout.trim()),
  };
}
