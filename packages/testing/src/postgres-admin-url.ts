import { rm } from "node:fs/promises";
import { findFreePort, resolvePostgres } from "@switchyard/local-infra";
import { scratchDirectory } from "./scratch-directory.js";

let shared: Promise<string> | undefined;

/**
 * Admin URL of the Postgres tests use: DATABASE_ADMIN_URL (set by the global setup, or by you),
 * else 127.0.0.1:5432 if it answers, else an embedded Postgres in a temporary directory,
 * started once per process and stopped (directory removed) when the process ends.
 */
export function postgresAdminUrl(): Promise<string> {
  shared ??= resolveSharedPostgres();
  return shared;
}

async function resolveSharedPostgres(): Promise<string> {
  const dataDir = await scratchDirectory("switchyard-test-postgres-");
  try {
    const handle = await resolvePostgres({
      adminUrl: process.env.DATABASE_ADMIN_URL || undefined,
      embedded: { dataDir, port: await findFreePort(), persistent: false },
    });
    if (handle.source !== "embedded") await rm(dataDir, { recursive: true, force: true });
    return handle.adminUrl;
  } catch (error) {
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  }
}
