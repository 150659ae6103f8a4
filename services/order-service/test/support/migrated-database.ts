import { fileURLToPath } from "node:url";
import { applyMigrations, connectDatabase, type Database } from "@switchyard/database";
import { createTestDatabase } from "@switchyard/testing";

export const migrationsFolder = fileURLToPath(new URL("../../drizzle", import.meta.url));

/** A fresh, uniquely named database with the order-service migrations applied. */
export async function createMigratedDatabase(): Promise<{
  database: Database;
  drop(): Promise<void>;
}> {
  const testDatabase = await createTestDatabase({ prefix: "order_service" });
  // Room for the 100-concurrent-calls idempotency test to actually contend in Postgres.
  const database = connectDatabase({ url: testDatabase.url, max: 20 });
  await applyMigrations(database, { migrationsFolder, service: "order_service" });
  return {
    database,
    async drop() {
      await database.close();
      await testDatabase.drop();
    },
  };
}
