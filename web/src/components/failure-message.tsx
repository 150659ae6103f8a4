import { useEffect, useState } from "react";
import type { CallFailure } from "../api/call-failure.js";

/** A failed call in words, announced to screen readers; counts down a rate limit's wait. */
export function FailureMessage({
  failure,
  onRetry,
}: {
  failure: CallFailure | undefined;
  onRetry?: () => void;
}) {
  const secondsLeft = useCountdown(
    failure?.kind === "rate-limited" ? failure.retryAfterSeconds : 0,
    failure,
  );
  if (!failure || failure.kind === "unauthenticated") return null;
  const rateLimited = failure.kind === "rate-limited";
  const message = rateLimited
    ? `Slow down: too many requests. Retry in ${secondsLeft} s.`
    : failure.message;
  const canRetry = onRetry && (rateLimited || (failure.kind === "failed" && failure.retryable));
  return (
    <div className="failure" role="alert">
      <p>{message}</p>
      {canRetry && (
        <button type="button" onClick={onRetry} disabled={rateLimited && secondsLeft > 0}>
          Try again
        </button>
      )}
    </div>
  );
}

function useCountdown(seconds: number, restartOn: unknown): number {
  const [left, setLeft] = useState(seconds);
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new failure with the same wait restarts the countdown.
  useEffect(() => {
    setLeft(seconds);
    if (seconds <= 0) return;
    const timer = window.setInterval(() => {
      setLeft((value) => {
        if (value <= 1) window.clearInterval(timer);
        return Math.max(0, value - 1);
      });
    }, 1000);
    return () => window.clearInterval(timer);
  }, [seconds, restartOn]);
  return left;
}
