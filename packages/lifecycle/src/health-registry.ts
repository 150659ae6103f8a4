/** Result of one readiness evaluation: each check's name maps to "ok" or its error message. */
export interface ReadinessReport {
  ready: boolean;
  checks: Record<string, string>;
}

export interface HealthRegistryOptions {
  /** A check that has not settled after this long counts as failed (default 2000 ms). */
  checkTimeoutMs?: number;
}

/**
 * Liveness is the process itself; readiness is what this registry knows: the dependencies a
 * service registered checks for (database, NATS, ...) and whether shutdown has begun.
 */
export class HealthRegistry {
  readonly #checks = new Map<string, () => Promise<void>>();
  readonly #shutdownListeners: Array<() => void> = [];
  readonly #checkTimeoutMs: number;
  #shuttingDown = false;

  constructor(options: HealthRegistryOptions = {}) {
    this.#checkTimeoutMs = options.checkTimeoutMs ?? 2000;
  }

  /** Registers a dependency check; a check that throws, rejects or times out means not ready. */
  addReadinessCheck(name: string, check: () => Promise<void>): void {
    if (this.#checks.has(name)) {
      throw new Error(`readiness check "${name}" is already registered`);
    }
    this.#checks.set(name, check);
  }

  /** Runs every check in parallel. Always not ready once shutting down (checks are skipped). */
  async checkReadiness(): Promise<ReadinessReport> {
    if (this.#shuttingDown) {
      return { ready: false, checks: { shutdown: "shutting down" } };
    }
    const entries = await Promise.all(
      [...this.#checks].map(async ([name, check]) => {
        const outcome = await runWithTimeout(check, this.#checkTimeoutMs);
        return [name, outcome] as const;
      }),
    );
    const checks = Object.fromEntries(entries);
    const ready = !this.#shuttingDown && entries.every(([, outcome]) => outcome === "ok");
    return { ready, checks };
  }

  /**
   * Marks the process as shutting down: readiness turns false for good and every
   * `onShuttingDown` listener runs once, synchronously, so load balancers can be told at once.
   */
  markShuttingDown(): void {
    if (this.#shuttingDown) return;
    this.#shuttingDown = true;
    const failures: unknown[] = [];
    for (const listener of this.#shutdownListeners) {
      try {
        listener();
      } catch (error) {
        failures.push(error);
      }
    }
    if (failures.length > 0) {
      throw new AggregateError(failures, "a shutting-down listener failed");
    }
  }

  get isShuttingDown(): boolean {
    return this.#shuttingDown;
  }

  /** Calls `listener` when shutdown begins (immediately if it already has). */
  onShuttingDown(listener: () => void): void {
    if (this.#shuttingDown) {
      listener();
      return;
    }
    this.#shutdownListeners.push(listener);
  }
}

async function runWithTimeout(check: () => Promise<void>, timeoutMs: number): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<string>((resolve) => {
    timer = setTimeout(() => resolve(`timed out after ${timeoutMs} ms`), timeoutMs);
  });
  try {
    return await Promise.race([
      // Wrapping in an async function turns a synchronous throw into a failed check too.
      (async () => {
        await check();
        return "ok";
      })().catch((error: unknown) => describeError(error)),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

function describeError(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  return String(error);
}
