import { fileURLToPath } from "node:url";

/**
 * What other packages' tests need to run a REAL order-service in-process (e.g. the gateway's
 * end-to-end tests): the server factory and customer directory exactly as main.ts uses them,
 * and the migrations folder. Exported as `@switchyard/order-service/testing`; nothing else of the
 * service is public.
 */
export { createUserServiceCustomerDirectory } from "./adapters/user-service-customer-directory.js";
export { createOrderServiceGrpcServer, orderServiceName } from "./grpc/order-service-server.js";

/** The committed drizzle migrations (`applyMigrations(db, { migrationsFolder, service: "order_service" })`). */
export const migrationsFolder = fileURLToPath(new URL("../drizzle", import.meta.url));
