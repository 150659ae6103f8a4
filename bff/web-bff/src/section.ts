import * as grpc from "@grpc/grpc-js";
import { DomainError } from "@switchyard/errors";
import { domainErrorFromGrpc } from "@switchyard/grpc-kit";
import type { Logger } from "@switchyard/logging";
import type { DeadlineBudget } from "./deadline-budget.js";

/** The client-safe reason of a section that did not arrive within the budget. */
export const timedOutReason = "timed out";

/** What one section of a screen came to: its value, or why it is missing. */
export type SectionOutcome<T> =
  | { ok: true; value: T }
  | { ok: false; section: string; reason: string; error: DomainError };

export interface Section<T> {
  /** As listed in `degraded_sections`: "profile", "orders", "order_stats", "order", "customer". */
  name: string;
  /** Client-safe reason when the backend fails: "orders are temporarily unavailable". */
  unavailableReason: string;
  /**
   * The backend call; `deadlineMs` is the budget left, to be used as its gRPC deadline, and
   * `signal` aborts when the section is given up (budget over, caller gone): cancel on it.
   */
  call: (deadlineMs: number, signal: AbortSignal) => Promise<T>;
}

/**
 * Runs one section's backend call under the screen's budget. Never throws: a failure or a
 * call still running when the budget ends becomes a degraded outcome, which keeps the peer's
 * error (as a DomainError) so the screen can still decide that e.g. NOT_FOUND fails the page.
 */
export async function runSection<T>(
  budget: DeadlineBudget,
  section: Section<T>,
  callerSignal?: AbortSignal,
): Promise<SectionOutcome<T>> {
  const remainingMs = budget.remainingMs();
  if (remainingMs <= 0) return timedOut(section.name);
  // Given up → cancelled upstream: a late backend stops working for a page already sent.
  // (A plain listener, not AbortSignal.any: on Node 20 that one is slow and holds signals.)
  const givenUp = new AbortController();
  const callerGone = () => givenUp.abort(callerSignal?.reason);
  callerSignal?.addEventListener("abort", callerGone, { once: true });
  if (callerSignal?.aborted) givenUp.abort(callerSignal.reason);
  const { signal } = givenUp;
  let timer: NodeJS.Timeout | undefined;
  // The gRPC deadline should end the call on time; this timer is the guarantee that the screen
  // answers on time even when a peer or the transport does not honour it.
  const expiry = new Promise<"expired">((resolve) => {
    timer = setTimeout(() => resolve("expired"), remainingMs);
  });
  try {
    const winner = await Promise.race([
      section.call(remainingMs, signal).then((value) => ({ value })),
      expiry,
    ]);
    if (winner === "expired") {
      // After the answer is on its way: cancelling is cleanup, not part of the response time.
      setImmediate(() => givenUp.abort());
      return timedOut(section.name);
    }
    return { ok: true, value: winner.value };
  } catch (error) {
    if (grpcCode(error) === grpc.status.DEADLINE_EXCEEDED) return timedOut(section.name, error);
    const domainError = domainErrorFromGrpc(error);
    return {
      ok: false,
      section: section.name,
      reason: domainError.kind === "unavailable" ? section.unavailableReason : domainError.message,
      error: domainError,
    };
  } finally {
    clearTimeout(timer);
    callerSignal?.removeEventListener("abort", callerGone);
  }
}

/** The degraded sections of a screen, each logged once with its internal cause. */
export function degradedSections(
  outcomes: SectionOutcome<unknown>[],
  logger: Logger,
): { section: string; reason: string }[] {
  return outcomes.flatMap((outcome) => {
    if (outcome.ok) return [];
    logger.warn(
      {
        section: outcome.section,
        reason: outcome.reason,
        err: outcome.error.cause ?? outcome.error,
      },
      "section degraded",
    );
    return [{ section: outcome.section, reason: outcome.reason }];
  });
}

function timedOut(section: string, cause?: unknown): SectionOutcome<never> {
  return {
    ok: false,
    section,
    reason: timedOutReason,
    error: new DomainError("unavailable", timedOutReason, { cause }),
  };
}

function grpcCode(error: unknown): number | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "number" ? code : undefined;
}
