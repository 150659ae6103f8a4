import type { Logger } from "@switchyard/logging";
import type { CdcReplicationSession } from "./cdc-replication-session.js";
import { errorMessage } from "./error-message.js";
import { createInterruptibleSleep, type InterruptibleSleep } from "./interruptible-sleep.js";

export interface CdcRelaySupervisorOptions {
  /** A new replication session (one connection). */
  openSession(): Pick<CdcReplicationSession, "run" | "stop" | "streamed">;
  /** Publishes pending rows the stream will never carry (rows committed before the slot). */
  catchUp(): Promise<void>;
  /** After a failure: recreates publication and slot if they are gone. */
  repairReplication(): Promise<{ slotCreated: boolean }>;
  /** Whether start-up just created the slot (then the first session is preceded by a catch-up). */
  slotCreated: boolean;
  /** The slot's name, for the log lines. */
  slot: string;
  /** Retry interval while another relay holds the slot. */
  standbyRetryMs: number;
  /** Delay after the first failure; doubles with each further one in a row. */
  reconnectDelayMs: number;
  /** Upper bound of that delay. */
  maxReconnectDelayMs: number;
  /** How long stop() lets PubAcks in flight arrive. Default 5000. */
  stopTimeoutMs?: number;
  logger: Logger;
  /** Injected by tests to observe the delays. */
  sleep?: InterruptibleSleep;
}

/** The loop that keeps one replication session running. */
export interface CdcRelaySupervisor {
  /** Ends the current wait or session gracefully and resolves when the loop has ended. */
  stop(): Promise<void>;
}

/**
 * Keeps a CDC relay streaming: opens a session, and when it fails (connection lost, slot
 * dropped, Postgres restarted) repairs the replication set-up and opens another after a
 * backoff that doubles per failure in a row and starts over once a session streamed. While
 * another relay holds the slot it stands by and retries every `standbyRetryMs` (CDC is
 * single-active; the first relay to find the slot free takes over).
 */
export function superviseCdcSessions(options: CdcRelaySupervisorOptions): CdcRelaySupervisor {
  const { logger } = options;
  const sleep = options.sleep ?? createInterruptibleSleep();
  let running = true;
  let current: Pick<CdcReplicationSession, "stop"> | undefined;

  async function loop(): Promise<void> {
    let slotCreated = options.slotCreated;
    let standingBy = false;
    let failuresInARow = 0;
    while (running) {
      let session: Pick<CdcReplicationSession, "run" | "stop" | "streamed"> | undefined;
      try {
        // Rows committed before the slot existed never reach the change stream.
        if (slotCreated) await options.catchUp();
        if (!running) break;
        session = options.openSession();
        current = session;
        const outcome = await session.run();
        current = undefined;
        if (session.streamed) failuresInARow = 0;
        slotCreated = false;
        if (outcome === "slot-busy") {
          if (!standingBy) {
            logger.info(
              { slot: options.slot },
              "outbox CDC relay standing by: another relay holds the slot",
            );
            standingBy = true;
          }
          await sleep.sleep(options.standbyRetryMs);
        } else {
          standingBy = false;
        }
      } catch (error) {
        current = undefined;
        if (!running) break;
        failuresInARow = session?.streamed ? 1 : failuresInARow + 1;
        const retryInMs = Math.min(
          options.maxReconnectDelayMs,
          options.reconnectDelayMs * 2 ** (failuresInARow - 1),
        );
        logger.error(
          { error: errorMessage(error), retryInMs, failuresInARow },
          "outbox CDC relay: replication stopped; reconnecting",
        );
        await sleep.sleep(retryInMs);
        if (!running) break;
        try {
          // The slot may have been dropped; recreating it needs a catch-up sweep.
          slotCreated = (await options.repairReplication()).slotCreated;
        } catch (repairError) {
          logger.error({ error: errorMessage(repairError) }, "outbox CDC relay: set-up failed");
        }
      }
    }
  }

  const loopDone = loop();
  return {
    async stop() {
      if (!running) return loopDone;
      running = false;
      sleep.close();
      await current?.stop(options.stopTimeoutMs ?? 5_000);
      await loopDone;
    },
  };
}
