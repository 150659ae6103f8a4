import { ConfigError } from "@switchyard/config";
import { createShutdown } from "@switchyard/lifecycle";
import type { ConnectHostConfigShape } from "./connect-host-config.js";
import type { ConnectServiceDeclaration, Upstreams } from "./connect-service.js";
import { startConnectService } from "./start-connect-service.js";

/**
 * The whole `main.ts` of a Connect deployable: starts `declaration` from process.env and runs
 * its shutdown steps on SIGTERM/SIGINT. Exit codes: 78 for a config problem (named on stderr),
 * 1 for a failed start or a failed/late shutdown step, 0 after a clean shutdown.
 */
export async function runConnectService<
  Shape extends ConnectHostConfigShape,
  Clients extends Upstreams,
>(declaration: ConnectServiceDeclaration<Shape, Clients>): Promise<void> {
  let running: Awaited<ReturnType<typeof startConnectService>>;
  try {
    running = await startConnectService(declaration, { env: process.env, asProcess: true });
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(78);
    }
    process.stderr.write(`${declaration.name} failed to start: ${(error as Error).stack}\n`);
    process.exit(1);
  }
  // The delay, then a drain that may take the whole grace; the remaining steps get 5 s more.
  const shutdown = createShutdown({
    logger: running.logger,
    deadlineMs: running.shutdownDrainDelayMs + running.shutdownGraceMs + 5_000,
  });
  for (const step of running.shutdownSteps) shutdown.addStep(step.name, step.run);
  shutdown.listen();
}
