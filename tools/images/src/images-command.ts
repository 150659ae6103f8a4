// `npm run images`: builds the container image of every deployable (or of those named).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { buildImages, describeBuiltImage } from "./build-images.js";
import {
  CommandLineError,
  type ImagesCommandOptions,
  imagesUsage,
  parseImagesCommandLine,
} from "./command-line.js";
import { detectContainerEngine, sandboxPodman } from "./container-engine.js";
import { selectDeployables } from "./deployables.js";
import { makeLocalBaseImage } from "./local-base-image.js";

const repositoryRoot = fileURLToPath(new URL("../../..", import.meta.url));
const workDir = mkdtempSync(join(tmpdir(), "switchyard-images-"));

try {
  const options = parseImagesCommandLine(process.argv.slice(2));
  if (options.help) console.log(imagesUsage);
  else await buildRequestedImages(options);
} catch (error) {
  process.exitCode = error instanceof CommandLineError ? 2 : 1;
  console.error(error instanceof Error ? error.message : error);
} finally {
  rmSync(workDir, { recursive: true, force: true });
}

async function buildRequestedImages(options: ImagesCommandOptions): Promise<void> {
  const selected = selectDeployables(options.names);
  const engine = options.sandbox ? sandboxPodman() : detectContainerEngine(options.engine);
  console.log(`engine: ${engine.description}`);

  let nodeImage = options.nodeImage;
  if (options.localBaseNodeDir !== undefined) {
    const base = await makeLocalBaseImage(engine, {
      nodeDir: resolve(options.localBaseNodeDir),
      workDir,
    });
    nodeImage = base.tag;
    console.log(`base image: ${base.tag} (${base.created ? "made" : "reused"})`);
  }

  const build = await buildImages(engine, {
    repositoryRoot,
    deployables: selected,
    workDir,
    repository: options.repository,
    tag: options.tag,
    nodeImage,
    echo: true,
    onBuilt: (image) => console.log(`\n==> built ${describeBuiltImage(image)}\n`),
  });
  console.log(`\nbuild context (turbo prune): ${(build.contextMs / 1000).toFixed(1)} s`);
  for (const image of build.images) console.log(describeBuiltImage(image));
}
