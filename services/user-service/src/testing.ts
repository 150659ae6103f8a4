import { fileURLToPath } from "node:url";

/**
 * What other packages' tests need to run a REAL user-service in-process (e.g. the gateway's
 * end-to-end tests): the server factory exactly as main.ts uses it, and the migrations folder.
 * Exported as `@switchyard/user-service/testing`; nothing else of the service is public.
 */
export { systemClock } from "./domain/clock.js";
export { createUserServiceGrpcServer, userServiceName } from "./user-service-server.js";

/** The committed drizzle migrations (`applyMigrations(db, { migrationsFolder, service: "user_service" })`). */
export const migrationsFolder = fileURLToPath(new URL("../drizzle", import.meta.url));
