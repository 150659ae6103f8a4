import { defineConfig } from "drizzle-kit";

// `npm run db:generate` writes SQL migrations into drizzle/; they are committed and applied at
// start-up by main.ts.
export default defineConfig({
  dialect: "postgresql",
  schema: "./src/persistence/schema.ts",
  out: "./drizzle",
  migrations: { schema: "drizzle", table: "user_service_migrations" },
});
