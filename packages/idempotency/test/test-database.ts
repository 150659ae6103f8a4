import { createTestDatabase } from "@switchyard/testing";
import { drizzle, type PostgresJsDatabase } from "drizzle-orm/postgres-js";
import postgres from "postgres";

/** A fresh test database with a pool of `max` connections and drizzle over it. */
export async function createScratchDatabase(max: number): Promise<{
  name: string;
  sql: postgres.Sql;
  db: PostgresJsDatabase;
  drop(): Promise<void>;
}> {
  const database = await createTestDatabase({ prefix: "idempotency" });
  const sql = postgres(database.url, { max, onnotice: () => {} });
  return {
    name: database.name,
    sql,
    db: drizzle(sql),
    async drop() {
      await sql.end();
      await database.drop();
    },
  };
}
