import { chmod, mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import postgres from "postgres";
import { afterEach, describe, expect, it } from "vitest";
import { findFreePort, resolvePostgres } from "../src/index.js";

describe("resolvePostgres", () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  it("rejects a given admin URL that does not answer, naming it without its password", async () => {
    const port = await findFreePort();
    const adminUrl = `postgres://postgres:hunter2@127.0.0.1:${port}/postgres`;
    const attempt = resolvePostgres({
      adminUrl,
      embedded: { dataDir: "/nonexistent", port: 1, persistent: false },
    });
    await expect(attempt).rejects.toThrow(`127.0.0.1:${port}/postgres does not answer`);
    await expect(attempt).rejects.toThrow(/DATABASE_ADMIN_URL/);
    await expect(attempt).rejects.not.toThrow(/hunter2/);
  });

  it("starts an embedded Postgres with logical replication when told not to use the local one", async () => {
    const directory = await mkdtemp(join(tmpdir(), "local-infra-pg-"));
    // As root, Postgres runs as the postgres user, which must be able to enter this directory.
    await chmod(directory, 0o755);
    cleanups.push(() => rm(directory, { recursive: true, force: true }));
    const dataDir = join(directory, "data");
    const port = await findFreePort();
    const lines: string[] = [];

    const handle = await resolvePostgres({
      embedded: { dataDir, port, persistent: false },
      probeLocal: false,
      log: (line) => lines.push(line),
    });
    cleanups.push(() => handle.stop());

    expect(handle.source).toBe("embedded");
    expect(handle.adminUrl).toContain(`127.0.0.1:${port}`);
    expect(lines.join("\n")).toContain("started embedded Postgres");
    const sql = postgres(handle.adminUrl, { max: 1, onnotice: () => {} });
    try {
      const [one] = await sql`select 1 as one`;
      expect(one?.one).toBe(1);
      const [setting] = await sql`show wal_level`;
      expect(setting?.wal_level).toBe("logical");
    } finally {
      await sql.end();
    }
    const listenersLeft = process
      .listeners("beforeExit")
      .filter((listener) => String(listener).includes("eventFilters"));
    expect(listenersLeft).toEqual([]);

    await handle.stop();
    await expect(stat(dataDir)).rejects.toThrow(/ENOENT/);
    const probe = postgres(handle.adminUrl, { max: 1, connect_timeout: 1 });
    await expect(probe`select 1`).rejects.toThrow(/ECONNREFUSED/);
    await probe.end({ timeout: 0 });
  });
});
