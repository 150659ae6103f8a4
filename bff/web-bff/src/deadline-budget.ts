/**
 * The time one screen call may spend on its backends. Every backend call made for the screen
 * gets the REMAINING budget as its gRPC deadline, so parallel calls share one clock and
 * sequential calls cannot each take the full budget.
 */
export interface DeadlineBudget {
  /** Epoch milliseconds at which the budget runs out. */
  readonly deadline: number;
  /** Milliseconds left, never negative. */
  remainingMs(): number;
}

export interface DeadlineBudgetOptions {
  /** The configured budget for the screen. */
  budgetMs: number;
  /** The caller's own timeout (Connect `connect-timeout-ms` / gRPC `grpc-timeout`), if any. */
  callerTimeoutMs?: number | undefined;
  now?: () => number;
}

// Time kept back from a caller's own timeout to encode and send the (partial) answer, so the
// caller gets degraded sections instead of giving up on the whole response.
const replyMarginMs = 50;

/** Starts the budget now: the configured budget, or less when the caller allows less. */
export function startDeadlineBudget(options: DeadlineBudgetOptions): DeadlineBudget {
  const now = options.now ?? Date.now;
  let budgetMs = options.budgetMs;
  if (options.callerTimeoutMs !== undefined) {
    const callerBudgetMs = Math.max(
      Math.floor(options.callerTimeoutMs / 2),
      options.callerTimeoutMs - replyMarginMs,
    );
    budgetMs = Math.min(budgetMs, callerBudgetMs);
  }
  const deadline = now() + Math.max(0, budgetMs);
  return {
    deadline,
    remainingMs: () => Math.max(0, deadline - now()),
  };
}
