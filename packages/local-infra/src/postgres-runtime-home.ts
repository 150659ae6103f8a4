import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import {
  chmod,
  chown,
  cp,
  lstat,
  mkdir,
  mkdtemp,
  readdir,
  readlink,
  rename,
  rm,
  rmdir,
  symlink,
} from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { binariesIn, type PostgresBinaries } from "./postgres-binaries.js";
import { type PostgresSystemUser, userCanReach, userCanRun } from "./postgres-system-user.js";

/**
 * Where a root-started Postgres keeps what its `postgres` user cannot reach where it was asked
 * for: a checkout under /root or a `mktemp -d` folder is 0700, so neither the binaries in its
 * node_modules nor a data directory inside it can be entered. /var/tmp survives reboots (a
 * persistent devstack cluster lives here) and is reachable by every user.
 */
export const defaultRuntimeHome = "/var/tmp/switchyard-postgres";

/** What to run and where, once both are reachable by the user Postgres runs as. */
export interface PostgresPlacement {
  binaries: PostgresBinaries;
  /** Where Postgres keeps its data; the requested dataDir unless it had to move. */
  dataDir: string;
  /** Paths to delete when a non-persistent cluster stops (the data, and a link to it). */
  removeOnStop: string[];
  /** One line per thing that moved, for the log. */
  notes: string[];
}

/**
 * Places binaries and data where user can reach them. Not root (user undefined), or both
 * reachable already: nothing moves. Otherwise the binaries are copied once per version into
 * runtimeHome/bin-<version>, and the data goes to runtimeHome/data/<hash of dataDir> with a
 * symbolic link at dataDir pointing to it, so the requested path still names the cluster.
 */
export async function placePostgres(options: {
  binaries: PostgresBinaries;
  dataDir: string;
  persistent: boolean;
  user: PostgresSystemUser | undefined;
  runtimeHome?: string;
}): Promise<PostgresPlacement> {
  const requested = resolve(options.dataDir);
  const placement: PostgresPlacement = {
    binaries: options.binaries,
    dataDir: requested,
    removeOnStop: [requested],
    notes: [],
  };
  const { user } = options;
  if (!user) return placement;
  const home = options.runtimeHome ?? defaultRuntimeHome;

  if (!userCanRun(user, options.binaries.postgres)) {
    await prepareHome(home);
    placement.binaries = await copyBinaries(options.binaries, home, user);
    placement.notes.push(
      `the ${user.name} user cannot run ${options.binaries.directory}: using a copy in ${placement.binaries.directory}`,
    );
  }
  await mkdir(dirname(requested), { recursive: true });
  if (!userCanReach(user, dirname(requested))) {
    await prepareHome(home);
    const target = await relocateData(requested, home, options.persistent);
    placement.dataDir = target;
    placement.removeOnStop = [target, requested];
    placement.notes.push(
      `the ${user.name} user cannot enter ${dirname(requested)}: data kept in ${target}, linked from ${requested}`,
    );
  }
  return placement;
}

/** Creates home owned by root, mode 0755; refuses one that someone else owns or a symlink. */
async function prepareHome(home: string): Promise<void> {
  await mkdir(join(home, "data"), { recursive: true, mode: 0o755 });
  for (const path of [home, join(home, "data")]) {
    const info = await lstat(path);
    if (!info.isDirectory() || info.uid !== 0) {
      throw new Error(
        `postgres: ${path} must be a directory owned by root (it is shared by root-started ` +
          "embedded Postgres servers); remove it and start again.",
      );
    }
    await chmod(path, 0o755);
  }
}

/** runtimeHome/bin-<version>: copied once (into a temporary name, then renamed) and reused. */
async function copyBinaries(
  binaries: PostgresBinaries,
  home: string,
  user: PostgresSystemUser,
): Promise<PostgresBinaries> {
  const destination = join(home, `bin-${binaries.version}`);
  if (!existsSync(destination)) {
    const staging = await mkdtemp(join(home, `.bin-${binaries.version}-`));
    try {
      await cp(binaries.directory, staging, { recursive: true, verbatimSymlinks: true });
      await openToEveryone(staging);
      await rename(staging, destination).catch((error: NodeJS.ErrnoException) => {
        // Another process copied them first: use theirs.
        if (error.code !== "ENOTEMPTY" && error.code !== "EEXIST") throw error;
      });
    } finally {
      await rm(staging, { recursive: true, force: true });
    }
  }
  const copy = binariesIn(destination, binaries.version);
  if (!userCanRun(user, copy.postgres)) {
    throw new Error(
      `postgres: the ${user.name} user cannot run ${copy.postgres} either; remove ${destination} and start again.`,
    );
  }
  return copy;
}

/** Directories 0755, files readable (and executable where the owner may execute) by all. */
async function openToEveryone(directory: string): Promise<void> {
  await chmod(directory, 0o755);
  for (const entry of await readdir(directory, { withFileTypes: true, recursive: true })) {
    const path = join(entry.parentPath, entry.name);
    if (entry.isDirectory()) await chmod(path, 0o755);
    else if (entry.isFile()) {
      const { mode } = await lstat(path);
      await chmod(path, mode & 0o100 ? 0o755 : 0o644);
    }
  }
}

/**
 * The data directory for requested, under home/data, with a link at requested. A persistent
 * cluster keeps its place across runs (the name is a hash of requested); a leftover
 * non-persistent one is removed first.
 */
async function relocateData(requested: string, home: string, persistent: boolean): Promise<string> {
  const name = createHash("sha256").update(requested).digest("hex").slice(0, 16);
  const target = join(home, "data", name);
  const existing = await lstat(requested).catch(() => undefined);
  if (existing?.isSymbolicLink()) {
    if ((await readlink(requested)) !== target) {
      throw new Error(
        `postgres: ${requested} is a link to somewhere else; remove it and start again.`,
      );
    }
  } else if (existing?.isDirectory()) {
    if (existsSync(join(requested, "PG_VERSION"))) {
      throw new Error(
        `postgres: ${requested} holds a cluster the postgres user cannot reach (a parent directory ` +
          `is closed to it). Move it to ${target}, or remove it to start a fresh one.`,
      );
    }
    await rmdir(requested);
  } else if (existing) {
    throw new Error(`postgres: ${requested} exists and is not a directory; remove it.`);
  }
  if (!persistent) await rm(target, { recursive: true, force: true });
  if (!existing?.isSymbolicLink()) await symlink(target, requested);
  return target;
}

/** The data directory for initdb: created, owned by user, mode 0700 (initdb's requirement). */
export async function prepareDataDirectory(
  dataDir: string,
  user: PostgresSystemUser | undefined,
): Promise<void> {
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  if (user) await chown(dataDir, user.uid, user.gid);
  await chmod(dataDir, 0o700);
}
