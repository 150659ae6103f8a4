import type { JetStreamManager, StreamInfo } from "@nats-io/jetstream";

/** Where a replicated stream lives right now, as its leader reports it. */
export interface StreamPlacement {
  leader: string | undefined;
  /** Followers by server name: current = caught up with the leader. */
  followers: { name: string; current: boolean; lag: number }[];
  messages: number;
}

/** The stream's placement, or undefined while no leader answers (during an election). */
export async function streamPlacement(
  jsm: JetStreamManager,
  streamName: string,
): Promise<StreamPlacement | undefined> {
  let info: StreamInfo;
  try {
    info = await jsm.streams.info(streamName);
  } catch {
    return undefined;
  }
  return {
    leader: info.cluster?.leader,
    followers: (info.cluster?.replicas ?? []).map((replica) => ({
      name: replica.name,
      current: replica.current,
      lag: replica.lag ?? 0,
    })),
    messages: info.state.messages,
  };
}

/**
 * Polls until `accept` holds for the stream's placement; resolves with it and the time it
 * took. Rejects after `timeoutMs` with the last placement seen.
 */
export async function waitForPlacement(
  jsm: JetStreamManager,
  streamName: string,
  accept: (placement: StreamPlacement) => boolean,
  options: { timeoutMs: number; what: string },
): Promise<{ placement: StreamPlacement; afterMs: number }> {
  const started = Date.now();
  let last: StreamPlacement | undefined;
  for (;;) {
    last = await streamPlacement(jsm, streamName);
    if (last !== undefined && accept(last))
      return { placement: last, afterMs: Date.now() - started };
    if (Date.now() - started > options.timeoutMs) {
      throw new Error(
        `stream ${streamName}: ${options.what} did not happen within ${options.timeoutMs} ms (last placement: ${JSON.stringify(last)})`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** A leader is elected and it is not `formerLeader`. */
export function hasLeaderOtherThan(formerLeader: string): (placement: StreamPlacement) => boolean {
  return (placement) => placement.leader !== undefined && placement.leader !== formerLeader;
}

/** `node` is a follower again, caught up (current, no lag). */
export function hasCaughtUp(node: string): (placement: StreamPlacement) => boolean {
  return (placement) =>
    placement.followers.some(
      (follower) => follower.name === node && follower.current && follower.lag === 0,
    );
}
