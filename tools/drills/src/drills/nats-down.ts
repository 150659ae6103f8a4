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
import { startBrokerUnderDrill } from "../order-flow/broker-under-drill.js";
import { orderEventLedger } from "../order-flow/order-event-ledger.js";
import { orderEventMeasurements } from "../order-flow/order-event-measurements.js";
import { startOrderLoad } from "../order-flow/order-load.js";
import { startOrderPlacedRecorder } from "../order-flow/order-placed-recorder.js";
import { startOrderServiceUnderDrill } from "../order-flow/order-service-under-drill.js";
import { streamEventIds } from "../order-flow/stream-event-ids.js";
import { waitForOutboxDrained } from "../order-flow/wait-for-outbox-drained.js";
import { pause } from "../pause.js";

interface Plan {
  ordersPerSecond: number;
  steadyMs: number;
  downMs: number;
  afterMs: number;
}
const fullPlan: Plan = { ordersPerSecond: 20, steadyMs: 5_000, downMs: 10_000, afterMs: 5_000 };
const shortPlan: Plan = { ordersPerSecond: 20, steadyMs: 3_000, downMs: 6_000, afterMs: 3_000 };
const drainTimeoutMs = 90_000;

/**
 * nats-down: the real order-service and user-service on a nats-server only this drill uses,
 * orders placed at 20/s while that broker is stopped for 10 s (6 s short) and started again on
 * the same store. Orders keep committing (order + outbox row in one transaction; PlaceOrder
 * never waits on the broker); the relay publishes the backlog once the broker is back; a
 * durable inbox consumer and order-service's projections apply every event once.
 */
export async function runNatsDown(context: DrillContext): Promise<DrillVerdict> {
  const plan = context.short ? shortPlan : fullPlan;
  const { progress, signal, elapsed } = context;
  const logger = createLogger({ service: "drill", level: "silent" });
  const actions: string[] = [];
  const cleanups: (() => Promise<unknown>)[] = [];
  try {
    const broker = await startBrokerUnderDrill();
    cleanups.push(() => broker.remove());
    progress(`nats-server of this drill on ${broker.url}`);
    const admin = await connect({ servers: broker.url, maxReconnectAttempts: -1 });
    cleanups.push(() => admin.close());
    const jsm = await jetstreamManager(admin, { timeout: 2_000 });
    const namespace = { prefix: uniqueName("drill") };
    for (const events of [orderEventsStream, userEventsStream]) {
      for (const stream of [events, deadLetterStreamFor(events)]) {
        await ensureStream(jsm, stream, namespace, { replicas: 1 });
      }
    }
    const recorder = await startOrderPlacedRecorder({ natsUrl: broker.url, namespace, logger });
    cleanups.push(() => recorder.stop());
    const service = await startOrderServiceUnderDrill({
      natsUrl: broker.url,
      namespace,
      streamReplicas: 1,
      logger,
      customers: 10,
    });
    cleanups.push(() => service.stop());
    progress(
      `user-service and order-service (declarations, mTLS, outbox + relay, projections) and the inbox consumer ${recorder.durableName} running`,
    );

    const load = startOrderLoad({
      placeOrder: service.placeOrder,
      customerIds: service.customerIds,
      ratePerSecond: plan.ordersPerSecond,
      maxInFlight: 8,
    });
    cleanups.push(() => load.stop());
    actions.push(`placed orders through PlaceOrder at ${plan.ordersPerSecond}/s throughout`);
    progress(`placing orders at ${plan.ordersPerSecond}/s`);
    await pause(plan.steadyMs, signal);

    const beforeStop = load.totals().placedOrderIds.length;
    await broker.stop();
    actions.push(`stopped nats-server at ${elapsed()}`);
    progress(
      `broker stopped (${beforeStop} orders so far); keeping it down ${plan.downMs / 1000} s`,
    );
    await pause(plan.downMs, signal);
    const whileDown = load.totals();
    const placedWhileDown = whileDown.placedOrderIds.length - beforeStop;
    const [backlog] = await service.sql<{ pending: number }[]>`
      select count(*)::int as "pending" from outbox_messages where published_time is null`;
    await broker.start();
    const restartedAt = Date.now();
    actions.push(`started nats-server again (same store, same port) at ${elapsed()}`);
    progress(
      `broker up again; ${placedWhileDown} orders committed while it was down, ${backlog?.pending ?? 0} events waiting in the outbox`,
    );
    await pause(plan.afterMs, signal);

    const totals = await load.stop();
    progress(`load stopped: ${totals.placedOrderIds.length} orders confirmed; draining`);
    await waitForOutboxDrained(service.sql, { timeoutMs: drainTimeoutMs });
    const publishedAfterMs = Date.now() - restartedAt;
    await recorder.waitUntilCaughtUp({ timeoutMs: drainTimeoutMs });
    await service.waitForProjections({ timeoutMs: drainTimeoutMs });
    const drainedAfterMs = Date.now() - restartedAt;
    progress(`outbox empty and consumers caught up ${drainedAfterMs} ms after the restart`);

    const applied = await recorder.applied();
    const ledger = await orderEventLedger({
      serviceSql: service.sql,
      confirmedOrderIds: totals.placedOrderIds,
      streamEventIds: await streamEventIds(
        jetstream(admin),
        jsm,
        streamNameFor(orderEventsStream, namespace),
        { timeoutMs: 30_000 },
      ),
      applied,
    });
    return {
      drill: "nats-down",
      actions,
      measurements: [
        {
          name: "orders committed while the broker was down",
          value: placedWhileDown,
          required: "> 0",
          holds: placedWhileDown > 0,
        },
        {
          name: "events waiting in the outbox at the restart",
          value: backlog?.pending ?? 0,
        },
        ...orderEventMeasurements({
          ledger,
          committed: totals.placedOrderIds.length,
          failuresByCode: totals.failuresByCode,
          failuresAllowed: false,
          maxCommitToAppliedMs: applied.maxCommitToAppliedMs,
        }),
        {
          name: "orders stored",
          value: ledger.ordersStored,
          required: "= committed",
          holds: ledger.ordersStored === totals.placedOrderIds.length,
        },
        {
          name: "backlog drained after the restart (outbox / consumers)",
          value: `${(publishedAfterMs / 1000).toFixed(1)} s / ${(drainedAfterMs / 1000).toFixed(1)} s`,
        },
      ],
    };
  } finally {
    progress("cleaning up (services, consumer, nats-server and its store)");
    for (const cleanup of cleanups.reverse()) {
      await cleanup().catch((error: unknown) =>
        progress(`cleanup step failed: ${(error as Error).message}`),
      );
    }
  }
}
