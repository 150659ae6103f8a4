import { spawnSync } from "node:child_process";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export type EngineKind = "podman" | "docker";

/** How to call a container engine: executable, flags before the subcommand, environment. */
export interface ContainerEngine {
  kind: EngineKind;
  command: string;
  globalArgs: string[];
  env: Record<string, string>;
  /** Passed as --network to build and run (the sandbox has no bridge networking). */
  network?: "host";
  /** Whether builds keep intermediate layers (cache between images and between runs). */
  layers: boolean;
  description: string;
}

/** Thrown when no usable engine exists; the message says what to install. */
export class NoContainerEngineError extends Error {
  constructor(detail: string) {
    super(
      `${detail}. Install podman (Debian/Ubuntu: sudo apt-get install -y podman runc) or start a Docker engine.`,
    );
    this.name = "NoContainerEngineError";
  }
}

const sandboxConf = fileURLToPath(new URL("../podman/containers.conf", import.meta.url));

/** True when `command args` runs and exits 0 (a missing executable counts as false). */
function succeeds(command: string, args: string[]): boolean {
  const result = spawnSync(command, args, { stdio: "ignore", timeout: 20_000 });
  return result.error === undefined && result.status === 0;
}

/** Whether the podman executable is installed. */
export function podmanInstalled(): boolean {
  return succeeds("podman", ["--version"]);
}

/**
 * The engine to build with: `preference` if given (and usable), else podman when installed,
 * else docker when its engine answers. A docker CLI without a running engine does not count:
 * `docker build` would fail later with a less helpful message.
 */
export function detectContainerEngine(preference?: EngineKind): ContainerEngine {
  const podman: ContainerEngine = {
    kind: "podman",
    command: "podman",
    globalArgs: [],
    env: {},
    layers: true,
    description: "podman",
  };
  const docker: ContainerEngine = {
    ...podman,
    kind: "docker",
    command: "docker",
    description: "docker",
  };
  const podmanOk = preference !== "docker" && podmanInstalled();
  if (podmanOk) return podman;
  const dockerOk =
    preference !== "podman" && succeeds("docker", ["version", "--format", "{{.Server.Version}}"]);
  if (dockerOk) return docker;
  if (preference === "podman") throw new NoContainerEngineError("podman is not installed");
  if (preference === "docker") throw new NoContainerEngineError("no Docker engine answers");
  throw new NoContainerEngineError(
    succeeds("docker", ["--version"])
      ? "podman is not installed and the docker CLI finds no running Docker engine"
      : "neither podman nor docker is installed",
  );
}

/** Default folder of the sandbox engine's state: per user, kept between runs (layer cache). */
export function defaultSandboxStateDir(): string {
  return join(tmpdir(), `switchyard-podman-${process.getuid?.() ?? "user"}`);
}

export type StorageDriver = "overlay" | "vfs";

/**
 * podman configured for an unprivileged sandbox (TOOLCHAIN-NOTES "podman"): runc with cgroupfs
 * and no default ulimits (podman/containers.conf), host networking, and a storage root of its
 * own per driver (it never clashes with the machine's default storage). The driver is overlay
 * when the kernel lets podman mount one here (copy-on-write: layers cost nothing), else vfs
 * (every layer a full copy: several times slower on large images); SWITCHYARD_PODMAN_STORAGE_DRIVER
 * forces one.
 */
export function sandboxPodman(
  options: { stateDir?: string; storageDriver?: StorageDriver } = {},
): ContainerEngine {
  const stateDir = options.stateDir ?? defaultSandboxStateDir();
  const forced = process.env.SWITCHYARD_PODMAN_STORAGE_DRIVER;
  if (forced !== undefined && forced !== "" && forced !== "overlay" && forced !== "vfs") {
    throw new Error(`SWITCHYARD_PODMAN_STORAGE_DRIVER must be overlay or vfs, not ${forced}`);
  }
  const storageDriver =
    options.storageDriver ??
    (forced as StorageDriver | undefined) ??
    (overlayMounts(stateDir) ? "overlay" : "vfs");
  return {
    kind: "podman",
    command: "podman",
    globalArgs: storageArgs(stateDir, storageDriver),
    env: { CONTAINERS_CONF: sandboxConf },
    network: "host",
    layers: true,
    description: `podman (sandbox settings, ${storageDriver} storage in ${join(stateDir, storageDriver)})`,
  };
}

function storageArgs(stateDir: string, driver: StorageDriver): string[] {
  const root = join(stateDir, driver);
  return [
    "--root",
    join(root, "storage"),
    "--runroot",
    join(root, "run"),
    "--storage-driver",
    driver,
  ];
}

/** Whether podman can mount an overlay here: imports an empty image and mounts it. */
function overlayMounts(stateDir: string): boolean {
  const args = storageArgs(stateDir, "overlay");
  const env = { ...process.env, CONTAINERS_CONF: sandboxConf };
  const emptyTar = Buffer.alloc(10_240); // two zero blocks ×10: an empty tar archive
  const probe = "localhost/switchyard-overlay-probe:1";
  const podman = (rest: string[], input?: Buffer) =>
    spawnSync("podman", [...args, ...rest], {
      env,
      input,
      stdio: ["pipe", "ignore", "ignore"],
      timeout: 60_000,
    }).status === 0;
  return (
    (podman(["image", "exists", probe]) || podman(["import", "-", probe], emptyTar)) &&
    podman(["image", "mount", probe]) &&
    podman(["image", "unmount", probe])
  );
}
