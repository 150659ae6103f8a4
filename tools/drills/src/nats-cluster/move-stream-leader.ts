import type { JetStreamManager } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/transport-node";
import { streamPlacement, waitForPlacement } from "./stream-placement.js";

/**
 * Asks the stream's leader to step down until `node` is elected (JetStream picks the next leader
 * itself, so it may take a few tries). Resolves true once `node` leads, false after `attempts`.
 */
export async function moveStreamLeader(
  connection: NatsConnection,
  jsm: JetStreamManager,
  streamName: string,
  node: string,
  options: { attempts: number; timeoutMs: number },
): Promise<boolean> {
  for (let attempt = 0; attempt < options.attempts; attempt++) {
    const placement = await streamPlacement(jsm, streamName);
    if (placement?.leader === node) return true;
    const formerLeader = placement?.leader;
    await connection.request(`$JS.API.STREAM.LEADER.STEPDOWN.${streamName}`, "", {
      timeout: options.timeoutMs,
    });
    await waitForPlacement(
      jsm,
      streamName,
      (p) => p.leader !== undefined && p.leader !== formerLeader,
      { timeoutMs: options.timeoutMs, what: `a leader other than ${formerLeader}` },
    );
  }
  return (await streamPlacement(jsm, streamName))?.leader === node;
}
