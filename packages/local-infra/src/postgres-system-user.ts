import { execFile, spawnSync } from "node:child_process";
import { promisify } from "node:util";

const run = promisify(execFile);

/** The account Postgres runs as when this process is root (Postgres refuses to run as root). */
export interface PostgresSystemUser {
  name: string;
  uid: number;
  gid: number;
}

const userName = "postgres";

/**
 * undefined when this process is not root: Postgres then runs as this process's user. As root,
 * the `postgres` account, created (groupadd + useradd) when it does not exist yet.
 */
export async function postgresSystemUser(): Promise<PostgresSystemUser | undefined> {
  if (process.getuid?.() !== 0) return undefined;
  const existing = await lookUp();
  if (existing) return existing;
  try {
    await run("groupadd", ["--system", userName]).catch(() => {
      // the group may exist without the user
    });
    await run("useradd", ["--system", "--gid", userName, "--no-create-home", userName]);
  } catch (cause) {
    throw new Error(
      `postgres: running as root, Postgres needs a '${userName}' system user and creating it failed (${
        cause instanceof Error ? cause.message : String(cause)
      }). Create it (useradd --system ${userName}), or set DATABASE_ADMIN_URL to a Postgres server.`,
    );
  }
  const created = await lookUp();
  if (!created) throw new Error(`postgres: the '${userName}' user was created but cannot be found`);
  return created;
}

async function lookUp(): Promise<PostgresSystemUser | undefined> {
  try {
    const [uid, gid] = await Promise.all([
      run("id", ["-u", userName]).then(({ stdout }) => Number(stdout.trim())),
      run("id", ["-g", userName]).then(({ stdout }) => Number(stdout.trim())),
    ]);
    return Number.isInteger(uid) && Number.isInteger(gid)
      ? { name: userName, uid, gid }
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Whether user can reach path, asked of the kernel rather than computed from mode bits (ACLs,
 * groups, every parent directory): `test -x` run as that user. For a directory that means it
 * can enter it; for a file, run it.
 */
export function userCanReach(user: PostgresSystemUser, path: string): boolean {
  const result = spawnSync("test", ["-x", path], { uid: user.uid, gid: user.gid, cwd: "/" });
  return result.status === 0;
}

/** Whether user can run the executable (so also load its libraries): `<file> --version`. */
export function userCanRun(user: PostgresSystemUser, file: string): boolean {
  const result = spawnSync(file, ["--version"], { uid: user.uid, gid: user.gid, cwd: "/" });
  return result.status === 0;
}
