import { join } from "node:path";
import { prepareBuildContext } from "./build-context.js";
import { type BuiltImage, buildImage, imageReference } from "./build-image.js";
import type { ContainerEngine } from "./container-engine.js";
import type { Deployable } from "./deployables.js";

export interface ImagesBuild {
  contextMs: number;
  images: BuiltImage[];
}

/**
 * Prunes once for all the deployables, then builds their images one after the other: the
 * first build runs `npm ci` and the turbo build, the others reuse those cached layers (their
 * Dockerfiles share the build stage) and only add their production tree.
 */
export async function buildImages(
  engine: ContainerEngine,
  options: {
    repositoryRoot: string;
    deployables: readonly Deployable[];
    workDir: string;
    repository: string;
    tag: string;
    nodeImage?: string | undefined;
    echo?: boolean;
    onBuilt?: (image: BuiltImage) => void;
  },
): Promise<ImagesBuild> {
  const started = performance.now();
  const contextDir = join(options.workDir, "context");
  prepareBuildContext({
    repositoryRoot: options.repositoryRoot,
    deployables: options.deployables,
    dir: contextDir,
  });
  const contextMs = performance.now() - started;
  const images: BuiltImage[] = [];
  for (const deployable of options.deployables) {
    const built = await buildImage(engine, {
      repositoryRoot: options.repositoryRoot,
      contextDir,
      deployable,
      image: imageReference(options.repository, deployable, options.tag),
      nodeImage: options.nodeImage,
      echo: options.echo ?? false,
    });
    images.push(built);
    options.onBuilt?.(built);
  }
  return { contextMs, images };
}

/** One line per image for logs: name, size and build time. */
export function describeBuiltImage(image: BuiltImage): string {
  const megabytes = (image.sizeBytes / 1_000_000).toFixed(0);
  const seconds = (image.durationMs / 1000).toFixed(0);
  return `${image.image}  ${megabytes} MB  built in ${seconds} s`;
}
