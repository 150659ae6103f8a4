import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chown, rm, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import type { PostgresBinaries } from "./postgres-binaries.js";
import type { PostgresSystemUser } from "./postgres-system-user.js";

// Server messages in English whatever the machine's locale: readiness is read from the log.
const messagesLocale = "C";
const readyLine = "database system is ready to accept connections";

interface ClusterProcessOptions {
  binaries: PostgresBinaries;
  dataDir: string;
  /** undefined: run as this process's user. */
  user: PostgresSystemUser | undefined;
  /** Last lines of output, for error messages. */
  remember: (line: string) => void;
}

/**
 * Runs initdb for an empty dataDir with one superuser whose password is read from a file next
 * to dataDir (its parent is reachable by user; the file is removed afterwards).
 */
export async function initialiseCluster(
  options: ClusterProcessOptions & { superuser: string; password: string; authMethod: string },
): Promise<void> {
  const passwordFile = join(
    dirname(options.dataDir),
    `.initdb-password-${randomBytes(6).toString("hex")}`,
  );
  await writeFile(passwordFile, `${options.password}\n`, { mode: 0o600 });
  try {
    if (options.user) await chown(passwordFile, options.user.uid, options.user.gid);
    const child = spawnAs(options, options.binaries.initdb, [
      `--pgdata=${options.dataDir}`,
      `--auth=${options.authMethod}`,
      `--username=${options.superuser}`,
      `--pwfile=${passwordFile}`,
      `--lc-messages=${messagesLocale}`,
    ]);
    const { code, signal } = await new Promise<{ code: number | null; signal: string | null }>(
      (resolve, reject) => {
        child.once("error", reject);
        child.once("close", (exitCode, exitSignal) =>
          resolve({ code: exitCode, signal: exitSignal }),
        );
      },
    );
    if (code !== 0) throw new Error(`initdb exited (code ${code}, signal ${signal})`);
  } finally {
    await rm(passwordFile, { force: true });
  }
}

/**
 * Starts `postgres -D dataDir -p port <flags>` and resolves with the child once it logs that it
 * accepts connections; rejects if it exits first.
 */
export function startPostmaster(
  options: ClusterProcessOptions & { port: number; flags: readonly string[] },
): { child: ChildProcess; ready: Promise<void> } {
  const child = spawnAs(options, options.binaries.postgres, [
    "-D",
    options.dataDir,
    "-p",
    String(options.port),
    ...options.flags,
  ]);
  const ready = new Promise<void>((resolve, reject) => {
    child.stderr?.on("data", (chunk: Buffer) => {
      if (chunk.toString("utf8").includes(readyLine)) resolve();
    });
    child.once("error", reject);
    child.once("exit", (code, signal) =>
      reject(new Error(`postgres exited before it was ready (code ${code}, signal ${signal})`)),
    );
  });
  return { child, ready };
}

/**
 * Spawns a Postgres program as options.user, in the data directory's parent: the caller's
 * working directory may be one that user cannot enter.
 */
function spawnAs(options: ClusterProcessOptions, file: string, args: string[]): ChildProcess {
  const child = spawn(file, args, {
    cwd: dirname(options.dataDir),
    env: { ...process.env, LC_MESSAGES: messagesLocale },
    stdio: ["ignore", "pipe", "pipe"],
    ...(options.user ? { uid: options.user.uid, gid: options.user.gid } : {}),
  });
  for (const stream of [child.stdout, child.stderr]) {
    // Always drained: a full pipe would block the server's logging.
    stream?.on("data", (chunk: Buffer) => {
      for (const line of chunk.toString("utf8").trimEnd().split("\n")) options.remember(line);
    });
  }
  return child;
}
