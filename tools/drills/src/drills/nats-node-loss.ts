import { jetstream, jetstreamManager } from "@nats-io/jetstream";
import { connect } from "@nats-io/transport-node";
import {
  ensureStream,
  orderEventsStream,
  streamNameFor,
  userEventsStream,
} from "@switchyard/events";
import { deadLetterStreamFor } from "@switchyard/inbox";
import { createLogger } from "@switchyard/logging";
import { uniqueName } from "@switchyard/testing";
import type { DrillContext, DrillVerdict } from "../drill.js";
import { moveStreamLeader } from "../nats-cluster/move-stream-leader.js";
import { startNatsCluster } from "../nats-cluster/start-nats-cluster.js";
import {
  hasCaughtUp,
  hasLeaderOtherThan,
  type StreamPlacement,
  waitForPlacement,
} from "../nats-cluster/stream-placement.js";
import { orderEventLedger } from "../order-flow/order-event-ledger.js";
import { startOrderLoad } from "../order-flow/order-load.js";
import { startOrderPlacedRecorder } from "../order-flow/order-placed-recorder.js";
import { startOrderServiceUnderDrill } from "../order-flow/order-service-under-drill.js";
import { streamEventIds } from "../order-flow/stream-event-ids.js";
import { waitForOutboxDrained } from "../order-flow/wait-for-outbox-drained.js";
import { pause } from "../pause.js";
import { type NodeLossRound, nodeLossMeasurements } from "./nats-node-loss-verdict.js";

/** How long each phase lasts; the short plan is what `npm test` runs. */
interface Plan {
  rounds: number;
  ordersPerSecond: number;
  /** Orders placed with every node up, before each kill. */
  steadyMs: number;
  /** How long the killed node stays down (the election happens inside it). */
  downMs: number;
  /** Orders placed after the restart, before the next round or the end. */
  afterRestartMs: number;
}

const fullPlan: Plan = {
  rounds: 3,
  ordersPerSecond: 25,
  steadyMs: 5_000,
  downMs: 10_000,
  afterRestartMs: 5_000,
};
const shortPlan: Plan = {
  rounds: 1,
  ordersPerSecond: 20,
  steadyMs: 2_000,
  downMs: 5_000,
  afterRestartMs: 2_000,
};
const replicas = 3;
/** Bounds on things that take a few seconds on a loaded 2-core machine. */
const electionTimeoutMs = 60_000;
const drainTimeoutMs = 90_000;

/**
 * nats-node-loss: a 3-node JetStream cluster with R3 streams; order-service places orders
 * (order + OrderPlaced outbox row in one transaction, relay publishing with Nats-Msg-Id) and a
 * durable inbox consumer in another database applies every OrderPlaced. Each round SIGKILLs
 * the order stream's leader mid-load, waits for a new leader, restarts the node and waits until
 * it has caught up. Then the load stops, everything drains, and every confirmed order is
 * traced: stored, published, in the stream, applied once.
 */
export async function runNatsNodeLoss(context: DrillContext): Promise<DrillVerdict> {
  const plan = context.short ? shortPlan : fullPlan;
  const { progress, signal, elapsed } = context;
  const logger = createLogger({ service: "drill", level: "silent" });
  const actions: string[] = [];
  const cleanups: (() => Promise<unknown>)[] = [];

  try {
    progress(`starting a ${replicas}-node JetStream cluster`);
    const cluster = await startNatsCluster({ size: replicas });
    cleanups.push(() => cluster.stop());
    progress(
      `cluster up: ${cluster.nodes.map((node) => `${node.name} ${node.url}`).join(", ")} (nats-server ${cluster.version.version}, fsync every write: ${cluster.version.supportsSyncAlways ? "yes" : "no, needs 2.10+"})`,
    );
    actions.push(
      `started nats-server ${cluster.version.version} ×${replicas} as one JetStream cluster`,
    );

    const admin = await connect({ servers: [...cluster.servers], maxReconnectAttempts: -1 });
    cleanups.push(() => admin.close());
    const jsm = await jetstreamManager(admin, { timeout: 2_000 });
    const namespace = { prefix: uniqueName("drill") };
    const streamName = streamNameFor(orderEventsStream, namespace);
    // Every stream the services use, replicated before they start (they ensure them again
    // with EVENTS_STREAM_REPLICAS; consumers inherit the stream's replicas).
    for (const events of [orderEventsStream, userEventsStream]) {
      for (const stream of [events, deadLetterStreamFor(events)]) {
        await ensureStream(jsm, stream, namespace, { replicas });
      }
    }
    const placed = await waitForPlacement(jsm, streamName, (p) => p.followers.length === 2, {
      timeoutMs: electionTimeoutMs,
      what: `${replicas} replicas placed`,
    });
    progress(`stream ${streamName}: R${replicas}, ${describePlacement(placed.placement)}`);

    const recorder = await startOrderPlacedRecorder({
      natsUrl: cluster.url,
      namespace,
      logger,
    });
    cleanups.push(() => recorder.stop());
    const service = await startOrderServiceUnderDrill({
      natsUrl: cluster.url,
      namespace,
      streamReplicas: replicas,
      logger,
      customers: 20,
    });
    cleanups.push(() => service.stop());
    progress(
      `user-service and order-service (declarations, mTLS, outbox + relay, projections) and the inbox consumer ${recorder.durableName} running; ${service.customerIds.length} customers registered`,
    );

    const load = startOrderLoad({
      placeOrder: service.placeOrder,
      customerIds: service.customerIds,
      ratePerSecond: plan.ordersPerSecond,
      maxInFlight: 8,
    });
    cleanups.push(() => load.stop());
    progress(`placing orders at ${plan.ordersPerSecond}/s`);
    actions.push(`placed orders through PlaceOrder at ${plan.ordersPerSecond}/s throughout`);

    const rounds: NodeLossRound[] = [];
    for (let round = 1; round <= plan.rounds; round++) {
      await pause(plan.steadyMs, signal);
      const before = await waitForPlacement(jsm, streamName, (p) => p.leader !== undefined, {
        timeoutMs: electionTimeoutMs,
        what: "a leader",
      });
      const victim = cluster.node(before.placement.leader as string);
      const killedAt = Date.now();
      await victim.kill();
      actions.push(`SIGKILL ${victim.name} (leader of the order stream) at ${elapsed()}`);
      progress(
        `round ${round}/${plan.rounds}: SIGKILL ${victim.name}, the stream leader (${load.totals().placedOrderIds.length} orders so far)`,
      );
      const elected = await waitForPlacement(jsm, streamName, hasLeaderOtherThan(victim.name), {
        timeoutMs: electionTimeoutMs,
        what: `a leader other than ${victim.name}`,
      });
      progress(`new leader ${elected.placement.leader} after ${elected.afterMs} ms`);
      await pause(Math.max(0, plan.downMs - (Date.now() - killedAt)), signal);
      // Proof that the cluster noticed: the new leader reports the dead node behind.
      const whileDown = await waitForPlacement(jsm, streamName, (p) => p.leader !== undefined, {
        timeoutMs: electionTimeoutMs,
        what: "a leader",
      });
      const seenBehind = whileDown.placement.followers.some(
        (follower) => follower.name === victim.name && (!follower.current || follower.lag > 0),
      );
      const restartedAt = Date.now();
      await victim.start();
      actions.push(`restarted ${victim.name} (same store) at ${elapsed()}`);
      await waitForPlacement(jsm, streamName, hasCaughtUp(victim.name), {
        timeoutMs: electionTimeoutMs,
        what: `${victim.name} catching up`,
      });
      const caughtUpAfterMs = Date.now() - restartedAt;
      progress(
        `${victim.name} ${seenBehind ? "(reported behind while down) " : ""}restarted and caught up after ${caughtUpAfterMs} ms`,
      );
      rounds.push({
        node: victim.name,
        killedAt,
        electedAfterMs: elected.afterMs,
        newLeader: elected.placement.leader as string,
        restartedAt,
        caughtUpAfterMs,
        seenBehind,
        flowResumedAfterMs: undefined,
      });
      await pause(plan.afterRestartMs, signal);
    }

    const totals = await load.stop();
    progress(
      `load stopped: ${totals.placedOrderIds.length} orders confirmed; waiting for the outbox and the consumer to drain`,
    );
    const drainStarted = Date.now();
    await waitForOutboxDrained(service.sql, { timeoutMs: drainTimeoutMs });
    await recorder.waitUntilCaughtUp({ timeoutMs: drainTimeoutMs });
    await service.waitForProjections({ timeoutMs: drainTimeoutMs });
    const settled = await waitForPlacement(
      jsm,
      streamName,
      (p) =>
        p.followers.length === replicas - 1 && p.followers.every((f) => f.current && f.lag === 0),
      { timeoutMs: drainTimeoutMs, what: "every replica current" },
    );
    progress(`drained in ${Date.now() - drainStarted} ms; ${describePlacement(settled.placement)}`);

    // The final count is read from the last node that was killed: its copy must be whole.
    const lastVictim = rounds.at(-1)?.node;
    const readFromRestarted =
      lastVictim !== undefined &&
      (await moveStreamLeader(admin, jsm, streamName, lastVictim, {
        attempts: 8,
        timeoutMs: electionTimeoutMs,
      }));
    if (readFromRestarted) progress(`${lastVictim} leads the stream again; reading it from there`);

    const applied = await recorder.applied();
    const ledger = await orderEventLedger({
      serviceSql: service.sql,
      confirmedOrderIds: totals.placedOrderIds,
      streamEventIds: await streamEventIds(jetstream(admin), jsm, streamName, {
        timeoutMs: 30_000,
      }),
      applied,
    });
    for (const round of rounds) {
      const first = await applied.firstAppliedCommittedAfter(round.killedAt);
      round.flowResumedAfterMs = first === undefined ? undefined : first - round.killedAt;
    }
    const measurements = nodeLossMeasurements({
      plannedRounds: plan.rounds,
      rounds,
      failuresByCode: totals.failuresByCode,
      ledger,
      streamReadFrom: readFromRestarted ? lastVictim : undefined,
      maxCommitToAppliedMs: applied.maxCommitToAppliedMs,
    });
    return { drill: "nats-node-loss", actions, measurements };
  } finally {
    progress("cleaning up (cluster stopped, stores and databases removed)");
    for (const cleanup of cleanups.reverse()) {
      await cleanup().catch((error: unknown) =>
        progress(`cleanup step failed: ${(error as Error).message}`),
      );
    }
  }
}

function describePlacement(placement: StreamPlacement): string {
  const followers = placement.followers
    .map((f) => `${f.name}${f.current ? "" : " (behind)"}`)
    .join(", ");
  return `leader ${placement.leader}, followers ${followers}, ${placement.messages} messages`;
}
