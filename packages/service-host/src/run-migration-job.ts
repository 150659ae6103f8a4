import { ConfigError, loadConfig } from "@switchyard/config";
import { applyMigrations, connectDatabase } from "@switchyard/database";
import { createLogger } from "@switchyard/logging";
import type { z } from "zod";
import { databaseConfigShape, type GrpcServiceConfigShape } from "./grpc-service-config.js";
import type { GrpcServiceDeclaration } from "./grpc-service-declaration.js";
import { configErrorExitCode, startupFailureExitCode } from "./run-grpc-service.js";

/**
 * The migration entry of a service image (`node services/<svc>/dist/migrate.js`, run once per
 * rollout by a Job before the new pods start, so replicas never race to migrate): applies the
 * declaration's committed migrations and exits 0; 1 when a migration fails; 78 on bad config.
 * Reads only DATABASE_URL (or DATABASE_URL_FILE) and LOG_LEVEL.
 */
export async function runMigrationJob<S extends GrpcServiceConfigShape>(
  declaration: GrpcServiceDeclaration<S>,
): Promise<void> {
  const migrations = declaration.database;
  if (migrations === undefined) throw new Error(`${declaration.name} declares no database`);
  const shape = {
    DATABASE_URL: databaseConfigShape.DATABASE_URL,
    LOG_LEVEL: declaration.config.LOG_LEVEL,
  };
  let config: z.infer<z.ZodObject<typeof shape>>;
  try {
    config = loadConfig(shape, process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    return process.exit(configErrorExitCode);
  }
  const logger = createLogger({ service: `${declaration.name}-migrate`, level: config.LOG_LEVEL });
  // Two connections: applyMigrations holds one for its advisory lock.
  const database = connectDatabase({ url: config.DATABASE_URL, max: 2 });
  try {
    await applyMigrations(database, {
      migrationsFolder: migrations.migrationsFolder,
      service: migrations.migrationsName,
    });
    logger.info("migrations applied");
  } catch (error) {
    logger.error({ err: error }, "migrations failed");
    process.exitCode = startupFailureExitCode;
  } finally {
    await database.close();
  }
}
