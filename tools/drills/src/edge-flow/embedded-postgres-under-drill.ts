import { mkdtemp, realpath, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { findFreePort, type PostgresHandle, resolvePostgres } from "@switchyard/local-infra";

/** A Postgres only this drill uses: stopped and started again on the same data and port. */
export interface EmbeddedPostgresUnderDrill {
  adminUrl: string;
  /** Stops the server (fast shutdown: sessions are cut, new connections refused). */
  stop(): Promise<void>;
  /** Starts it again on the same data directory and port. */
  start(): Promise<void>;
  /** Stops it for good and removes its data. */
  remove(): Promise<void>;
}

/**
 * An embedded Postgres (`@switchyard/local-infra`, never the machine's shared 127.0.0.1:5432)
 * in a fresh directory on a free port, persistent so that a stop keeps the data for the
 * restart; `remove()` deletes the data (and where local-infra placed it, when that is a link).
 */
export async function startEmbeddedPostgresUnderDrill(): Promise<EmbeddedPostgresUnderDrill> {
  const dataDir = join(await mkdtemp(join(tmpdir(), "switchyard-drill-pg-")), "data");
  const port = await findFreePort();
  const launch = (persistent: boolean) =>
    resolvePostgres({ probeLocal: false, embedded: { dataDir, port, persistent } });
  let handle: PostgresHandle | undefined = await launch(true);
  const adminUrl = handle.adminUrl;
  return {
    adminUrl,
    async stop() {
      await handle?.stop();
      handle = undefined;
    },
    async start() {
      handle = await launch(true);
    },
    async remove() {
      await handle?.stop();
      handle = undefined;
      // As root, local-infra keeps the data elsewhere and links dataDir to it.
      const placed = await realpath(dataDir).catch(() => dataDir);
      await rm(placed, { recursive: true, force: true });
      await rm(join(dataDir, ".."), { recursive: true, force: true });
    },
  };
}
