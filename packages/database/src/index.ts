export { connectDatabase, type Database } from "./database-connection.js";
export { applyMigrations } from "./migrations.js";
export { dropServiceDatabase, provisionServiceDatabase } from "./service-database-provisioning.js";
