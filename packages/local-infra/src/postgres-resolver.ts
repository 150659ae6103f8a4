import {
  defaultPostgresFlags,
  type EmbeddedPostgresOptions,
  startEmbeddedPostgres,
} from "./embedded-postgres-server.js";
import { probePostgres, redactUrlPassword } from "./postgres-probe.js";

/** A Postgres superuser connection; stop() is a no-op unless we started the server. */
export interface PostgresHandle {
  adminUrl: string;
  source: "env" | "local" | "embedded";
  stop(): Promise<void>;
}

export interface ResolvePostgresOptions {
  /** Usually DATABASE_ADMIN_URL: when given it must answer, nothing else is tried. */
  adminUrl?: string;
  embedded: {
    dataDir: string;
    port: number;
    persistent: boolean;
    /** Default: ["-c", "wal_level=logical"]. */
    postgresFlags?: readonly string[];
  };
  /** false skips the 127.0.0.1:5432 probe and goes straight to embedded. Default true. */
  probeLocal?: boolean;
  log?: (line: string) => void;
}

export const localPostgresUrl = "postgres://postgres@127.0.0.1:5432/postgres";

/**
 * Finds the Postgres to use: the given adminUrl (must answer, else a clear error), else a local
 * server on 127.0.0.1:5432 if it answers `select 1`, else an embedded Postgres (pinned
 * `embedded-postgres`, wal_level=logical) started in embedded.dataDir on embedded.port.
 */
export async function resolvePostgres(options: ResolvePostgresOptions): Promise<PostgresHandle> {
  const log = options.log ?? (() => {});
  const noop = async () => {};

  if (options.adminUrl) {
    const shown = redactUrlPassword(options.adminUrl);
    const problem = await probePostgres(options.adminUrl);
    if (problem) {
      throw new Error(
        `postgres: the given admin URL ${shown} does not answer (${problem}). ` +
          "Fix DATABASE_ADMIN_URL, or unset it to use a local or embedded Postgres.",
      );
    }
    log(`postgres: using ${shown} (given admin URL answered)`);
    return { adminUrl: options.adminUrl, source: "env", stop: noop };
  }

  if (options.probeLocal !== false) {
    const problem = await probePostgres(localPostgresUrl);
    if (!problem) {
      log("postgres: using 127.0.0.1:5432 (answered)");
      return { adminUrl: localPostgresUrl, source: "local", stop: noop };
    }
    log(`postgres: 127.0.0.1:5432 did not answer (${problem}); starting an embedded Postgres`);
  }

  const embeddedOptions: EmbeddedPostgresOptions = {
    ...options.embedded,
    postgresFlags: options.embedded.postgresFlags ?? defaultPostgresFlags,
  };
  const server = await startEmbeddedPostgres(embeddedOptions);
  for (const note of server.notes) log(`postgres: ${note}`);
  log(
    `postgres: started embedded Postgres (pid ${server.pid}) on 127.0.0.1:${options.embedded.port}, data in ${server.dataDir}`,
  );
  return { adminUrl: server.adminUrl, source: "embedded", stop: () => server.stop() };
}
