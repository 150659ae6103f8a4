import { ConfigError } from "@switchyard/config";
import { createShutdown } from "@switchyard/lifecycle";
import { createLogger } from "@switchyard/logging";
import { bootGrpcService } from "./boot-grpc-service.js";
import type { GrpcServiceConfigShape } from "./grpc-service-config.js";
import type { GrpcServiceDeclaration } from "./grpc-service-declaration.js";

/** Exit code for a bad config (EX_CONFIG), so orchestrators see a config fault, not a crash. */
export const configErrorExitCode = 78;
/** Exit code when start-up failed for any other reason (database, NATS, port in use, ...). */
export const startupFailureExitCode = 1;

/**
 * Runs a declaration as the process: config from process.env, SIGTERM/SIGINT start the ordered
 * shutdown (exit 0, or 1 if a step failed or the drain delay + grace + 10 s deadline passed). A ConfigError
 * (config or identity files) prints every problem to stderr and exits 78; any other start-up
 * failure is logged and exits 1, after closing what was already open.
 */
export async function runGrpcService<S extends GrpcServiceConfigShape>(
  declaration: GrpcServiceDeclaration<S>,
): Promise<void> {
  try {
    const booted = await bootGrpcService(declaration, { env: process.env });
    const shutdown = createShutdown({
      logger: booted.logger,
      deadlineMs:
        booted.hostConfig.SHUTDOWN_DRAIN_DELAY_MS + booted.hostConfig.SHUTDOWN_GRACE_MS + 10_000,
    });
    for (const step of booted.shutdownSteps) shutdown.addStep(step.name, step.run);
    shutdown.listen();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(configErrorExitCode);
    }
    createLogger({ service: declaration.name }).fatal(
      { err: error },
      `${declaration.name} failed to start`,
    );
    process.exit(startupFailureExitCode);
  }
}
