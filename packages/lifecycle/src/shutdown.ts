import type { Logger } from "@switchyard/logging";

/** Ordered graceful shutdown: register steps at start-up, run them once on a signal. */
export interface Shutdown {
  /** Adds a step; steps run in the order they were added. */
  addStep(name: string, step: () => Promise<void> | void): void;
  /** Runs every step once (later calls return the same run), then exits. */
  run(reason: string): Promise<void>;
  /** Runs the shutdown on the first of `signals` (default SIGTERM, SIGINT); later signals are logged and ignored. */
  listen(signals?: NodeJS.Signals[]): void;
}

export interface ShutdownOptions {
  logger: Logger;
  /** Upper bound for the whole run; past it the process exits with code 1. */
  deadlineMs: number;
  /** Defaults to `process.exit`; tests pass a fake. */
  exit?: (code: number) => void;
}

/**
 * Creates the shutdown sequence. Each step is logged with its duration; a failing step is logged
 * and the next one still runs. Exit code 0 when every step succeeded, 1 when one failed or the
 * deadline passed (the log line names the step that hung).
 */
export function createShutdown(options: ShutdownOptions): Shutdown {
  const { logger, deadlineMs } = options;
  const exit = options.exit ?? ((code: number) => process.exit(code));
  const steps: Array<{ name: string; step: () => Promise<void> | void }> = [];
  const listenedSignals = new Set<NodeJS.Signals>();
  let running: Promise<void> | undefined;

  async function runSteps(state: { current: string | undefined }): Promise<number> {
    let failed = 0;
    for (const { name, step } of steps) {
      state.current = name;
      const startedAt = performance.now();
      try {
        await step();
        logger.info({ step: name, durationMs: elapsedSince(startedAt) }, "shutdown step finished");
      } catch (error) {
        failed += 1;
        logger.error(
          { step: name, durationMs: elapsedSince(startedAt), err: error },
          "shutdown step failed",
        );
      }
    }
    state.current = undefined;
    return failed;
  }

  async function execute(reason: string): Promise<void> {
    const startedAt = performance.now();
    logger.info({ reason, steps: steps.map((s) => s.name), deadlineMs }, "shutting down");
    const state: { current: string | undefined } = { current: undefined };
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<"deadline">((resolve) => {
      timer = setTimeout(() => resolve("deadline"), deadlineMs);
    });
    const outcome = await Promise.race([runSteps(state), deadline]);
    clearTimeout(timer);
    if (outcome === "deadline") {
      logger.error(
        { step: state.current, deadlineMs },
        `shutdown deadline of ${deadlineMs} ms exceeded while step "${state.current}" was running`,
      );
      exit(1);
      return;
    }
    const durationMs = elapsedSince(startedAt);
    if (outcome > 0) {
      logger.error({ failedSteps: outcome, durationMs }, "shutdown finished with failed steps");
      exit(1);
      return;
    }
    logger.info({ durationMs }, "shutdown complete");
    exit(0);
  }

  const shutdown: Shutdown = {
    addStep(name, step) {
      if (running) throw new Error(`cannot add shutdown step "${name}": shutdown already started`);
      steps.push({ name, step });
    },
    run(reason) {
      if (running) {
        logger.warn({ reason }, "shutdown already in progress; ignoring");
        return running;
      }
      running = execute(reason);
      return running;
    },
    listen(signals = ["SIGTERM", "SIGINT"]) {
      for (const signal of signals) {
        if (listenedSignals.has(signal)) continue;
        listenedSignals.add(signal);
        process.on(signal, () => {
          void shutdown.run(signal);
        });
      }
    },
  };
  return shutdown;
}

function elapsedSince(startedAt: number): number {
  return Math.round(performance.now() - startedAt);
}
