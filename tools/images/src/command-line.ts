import { parseArgs } from "node:util";
import type { EngineKind } from "./container-engine.js";

export interface ImagesCommandOptions {
  /** Deployable names; empty = all. */
  names: string[];
  engine?: EngineKind | undefined;
  /** podman with the settings of an unprivileged sandbox (vfs, runc, host network). */
  sandbox: boolean;
  /** Build FROM a base image made locally from this Node distribution folder. */
  localBaseNodeDir?: string | undefined;
  nodeImage?: string | undefined;
  repository: string;
  tag: string;
  help: boolean;
}

export const imagesUsage = `usage: npm run images -- [deployable ...] [options]

Builds the container image of each deployable (all when none is named): user-service,
order-service, gateway, web-bff. The service images also run their migration Job
(node services/<service>/dist/migrate.js).

options:
  --engine podman|docker   container engine (default: podman if installed, else docker)
  --sandbox                podman with vfs storage, runc, cgroupfs and host networking
                           (machines without cgroup delegation, like this project's CI)
  --local-base <node dir>  build FROM a base image made here from a Node distribution
                           (e.g. .ci/node24) when no container registry is reachable
  --node-image <image>     base image (default: the Dockerfiles' node:24-bookworm-slim)
  --repository <prefix>    image name prefix (default: localhost/switchyard)
  --tag <tag>              image tag (default: dev)`;

/** Thrown for a command line that cannot be followed; the message says what is wrong. */
export class CommandLineError extends Error {
  constructor(message: string) {
    super(`${message}\n\n${imagesUsage}`);
    this.name = "CommandLineError";
  }
}

/** Parses the arguments of `npm run images`. */
export function parseImagesCommandLine(argv: readonly string[]): ImagesCommandOptions {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    throw new CommandLineError((error as Error).message);
  }
  const { values, positionals } = parsed;
  const engine = values.engine;
  if (engine !== undefined && engine !== "podman" && engine !== "docker") {
    throw new CommandLineError(`--engine must be podman or docker, not ${JSON.stringify(engine)}`);
  }
  if (values.sandbox && engine === "docker") {
    throw new CommandLineError(
      "--sandbox configures podman; it cannot be used with --engine docker",
    );
  }
  if (values["local-base"] !== undefined && values["node-image"] !== undefined) {
    throw new CommandLineError("give either --local-base or --node-image, not both");
  }
  if (!/^[\w][\w.-]{0,127}$/.test(values.tag)) {
    throw new CommandLineError(`--tag ${JSON.stringify(values.tag)} is not a valid image tag`);
  }
  return {
    names: positionals,
    engine,
    sandbox: values.sandbox,
    localBaseNodeDir: values["local-base"],
    nodeImage: values["node-image"],
    repository: values.repository,
    tag: values.tag,
    help: values.help,
  };
}

function parse(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: {
      engine: { type: "string" },
      sandbox: { type: "boolean", default: false },
      "local-base": { type: "string" },
      "node-image": { type: "string" },
      repository: { type: "string", default: "localhost/switchyard" },
      tag: { type: "string", default: "dev" },
      help: { type: "boolean", short: "h", default: false },
    },
  });
}
