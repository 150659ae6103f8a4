import { defineConfig } from "drizzle-kit";

// Generation only (`npm run db:generate`): migrations are applied by the service at start-up.
export default defineConfig({
  dialect: "postgresql",
  schema: "./src/persistence/schema.ts",
  out: "./drizzle",
  // Bookkeeping lives outside the service schema, shared naming with @switchyard/database.
  migrations: { schema: "drizzle", table: "order_service_migrations" },
});
