import { execFileSync } from "node:child_process";
import { chmod, lstat, mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import postgres from "postgres";
import { afterEach, describe, expect, it } from "vitest";
import { findFreePort, startEmbeddedPostgres } from "../src/index.js";
import { binariesIn, locatePostgresBinaries } from "../src/postgres-binaries.js";
import { placePostgres } from "../src/postgres-runtime-home.js";
import { postgresSystemUser, userCanRun } from "../src/postgres-system-user.js";

// As root, Postgres runs as the `postgres` user, which cannot enter a 0700 folder (a checkout
// in /root or `mktemp -d`). These tests put the data (and binaries) in such a folder; not as
// root, Postgres runs as us and nothing has to move, which they check too.
const asRoot = process.getuid?.() === 0;

describe("embedded Postgres in a folder only its owner can enter", () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function folders() {
    const closed = await mkdtemp(join(tmpdir(), "local-infra-closed-")); // mode 0700
    const open = await mkdtemp(join(tmpdir(), "local-infra-home-"));
    await chmod(open, 0o755);
    cleanups.push(() => rm(closed, { recursive: true, force: true }));
    cleanups.push(() => rm(open, { recursive: true, force: true }));
    return { closed, runtimeHome: join(open, "home") };
  }

  it("keeps a throwaway cluster's data where Postgres can reach it and removes it on stop", async () => {
    const { closed, runtimeHome } = await folders();
    const dataDir = join(closed, "data");
    const server = await startEmbeddedPostgres({
      dataDir,
      port: await findFreePort(),
      persistent: false,
      runtimeHome,
    });
    cleanups.push(() => server.stop());

    expect(await selectOne(server.adminUrl)).toBe(1);
    if (asRoot) {
      expect(server.dataDir.startsWith(join(runtimeHome, "data"))).toBe(true);
      expect((await lstat(dataDir)).isSymbolicLink()).toBe(true);
      expect(server.notes.join("\n")).toContain(`cannot enter ${closed}`);
    } else {
      expect(server.dataDir).toBe(dataDir);
      expect(server.notes).toEqual([]);
    }
    await server.stop();
    await expect(lstat(dataDir)).rejects.toThrow(/ENOENT/);
    await expect(stat(server.dataDir)).rejects.toThrow(/ENOENT/);
  });

  it("finds a persistent cluster again on the next start", async () => {
    const { closed, runtimeHome } = await folders();
    const dataDir = join(closed, "postgres");
    const start = async () =>
      startEmbeddedPostgres({ dataDir, port: await findFreePort(), persistent: true, runtimeHome });

    const first = await start();
    cleanups.push(() => first.stop());
    const sql = postgres(first.adminUrl, { max: 1, onnotice: () => {} });
    await sql`create table kept (id int)`;
    await sql.end();
    await first.stop();

    const second = await start();
    cleanups.push(() => second.stop());
    expect(second.dataDir).toBe(first.dataDir);
    const again = postgres(second.adminUrl, { max: 1, onnotice: () => {} });
    try {
      const [row] =
        await again`select count(*)::int as tables from pg_tables where tablename = 'kept'`;
      expect(row?.tables).toBe(1);
    } finally {
      await again.end();
    }
  });

  it("copies binaries the postgres user cannot run into the runtime home, once", async () => {
    const { closed, runtimeHome } = await folders();
    const original = locatePostgresBinaries();
    const hidden = join(closed, "native");
    // A hard-linked copy (cheap; a plain copy across filesystems) plays a checkout's node_modules.
    try {
      execFileSync("cp", ["-al", original.directory, hidden], { stdio: "ignore" });
    } catch {
      await rm(hidden, { recursive: true, force: true });
      execFileSync("cp", ["-a", original.directory, hidden]);
    }
    const binaries = binariesIn(hidden, original.version);
    const user = await postgresSystemUser();
    const place = () =>
      placePostgres({
        binaries,
        dataDir: join(runtimeHome, "data-parent", "data"),
        persistent: false,
        user,
        runtimeHome,
      });

    const placement = await place();

    if (user) {
      expect(userCanRun(user, binaries.postgres)).toBe(false);
      expect(placement.binaries.directory).toBe(join(runtimeHome, `bin-${original.version}`));
      expect(userCanRun(user, placement.binaries.postgres)).toBe(true);
      const copiedAt = (await stat(placement.binaries.postgres)).mtimeMs;
      expect((await place()).binaries.directory).toBe(placement.binaries.directory);
      expect((await stat(placement.binaries.postgres)).mtimeMs).toBe(copiedAt);
    } else {
      expect(asRoot).toBe(false);
      expect(placement.binaries).toEqual(binaries);
    }
  });
});

async function selectOne(adminUrl: string): Promise<number | undefined> {
  const sql = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    const [row] = await sql`select 1 as one`;
    return row?.one;
  } finally {
    await sql.end();
  }
}
