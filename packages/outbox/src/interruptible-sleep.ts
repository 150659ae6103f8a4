import { setMaxListeners } from "node:events";
import { setTimeout as delay } from "node:timers/promises";

/** Sleeps that a relay can cut short: to wake up early, or because it is stopping. */
export interface InterruptibleSleep {
  /** Resolves after `ms`, or at once when interrupted or closed; never rejects on interruption. */
  sleep(ms: number): Promise<void>;
  /** Ends every sleep in progress; later sleeps run normally. */
  interrupt(): void;
  /** Ends every sleep in progress, and every later one returns at once (the owner is stopping). */
  close(): void;
}

/**
 * `node:timers/promises` with an AbortSignal: each interruption aborts the current signal and
 * starts a fresh one, so one call ends all the sleeps that were waiting on it (a CDC relay can
 * have a sleep per event in flight while NATS is down).
 */
export function createInterruptibleSleep(): InterruptibleSleep {
  let controller = freshController();
  let closed = false;
  return {
    async sleep(ms) {
      if (closed) return;
      const { signal } = controller;
      try {
        await delay(ms, undefined, { signal });
      } catch (error) {
        if (!signal.aborted) throw error;
      }
    },
    interrupt() {
      controller.abort();
      controller = freshController();
    },
    close() {
      closed = true;
      controller.abort();
    },
  };
}

function freshController(): AbortController {
  const controller = new AbortController();
  // Up to one listener per event in flight: not a leak, so no MaxListenersExceededWarning.
  setMaxListeners(0, controller.signal);
  return controller;
}
