import { migrate } from "drizzle-orm/postgres-js/migrator";
import type { Database } from "./database-connection.js";

const servicePattern = /^[a-z][a-z0-9_-]{0,50}$/;

/**
 * Applies the drizzle-kit migrations in `migrationsFolder` that this database has not seen yet.
 * Bookkeeping lives in `drizzle."<service>_migrations"`, outside the service's own schema.
 * Replicas starting together are serialised by an advisory lock, so each migration runs once;
 * the lock is held on a second connection, so the pool needs `max` >= 2.
 */
export async function applyMigrations(
  database: Database,
  options: { migrationsFolder: string; service: string },
): Promise<void> {
  if (!servicePattern.test(options.service)) {
    throw new Error(
      `invalid service name ${JSON.stringify(options.service)}: use a-z, 0-9, - or _ (at most 51)`,
    );
  }
  if (database.sql.options.max < 2) {
    throw new Error("applyMigrations needs a pool of at least 2 connections (one holds the lock)");
  }
  const migrationsTable = `${options.service}_migrations`;
  const lockName = `drizzle.${migrationsTable}`;
  const lock = await database.sql.reserve();
  try {
    await lock`select pg_advisory_lock(hashtext(${lockName}))`;
    try {
      await migrate(database.db, {
        migrationsFolder: options.migrationsFolder,
        migrationsSchema: "drizzle",
        migrationsTable,
      });
    } finally {
      await lock`select pg_advisory_unlock(hashtext(${lockName}))`;
    }
  } finally {
    lock.release();
  }
}
