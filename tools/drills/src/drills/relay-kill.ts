import { jetstream, jetstreamManager } from "@nats-io/jetstream";
import { connect } from "@nats-io/transport-node";
import { OrderServiceClient } from "@switchyard/contracts/grpc/switchyard/order/v1/order_service";
import { UserServiceClient } from "@switchyard/contracts/grpc/switchyard/user/v1/user_service";
import {
  ensureStream,
  orderEventsStream,
  streamNameFor,
  userEventsStream,
} from "@switchyard/events";
import { callUnary, endUserMetadata } from "@switchyard/grpc-kit";
import { deadLetterStreamFor } from "@switchyard/inbox";
import { findFreePort } from "@switchyard/local-infra";
import { createLogger } from "@switchyard/logging";
import { startGrpcService } from "@switchyard/service-host";
import {
  accessPolicyWithTestCaller,
  testCallerWorkload,
  testClient,
  testIdentity,
  tlsEnv,
} from "@switchyard/service-host/testing";
import { createTestDatabase, createTestNats } from "@switchyard/testing";
import { userService } from "@switchyard/user-service/testing";
import { createTestCertificates } from "@switchyard/workload-identity/testing";
import postgres from "postgres";
import type { DrillContext, DrillVerdict } from "../drill.js";
import { orderEventLedger } from "../order-flow/order-event-ledger.js";
import { orderEventMeasurements } from "../order-flow/order-event-measurements.js";
import { startOrderLoad } from "../order-flow/order-load.js";
import { startOrderPlacedRecorder } from "../order-flow/order-placed-recorder.js";
import { startProducerProcess } from "../order-flow/producer-process.js";
import { streamEventIds } from "../order-flow/stream-event-ids.js";
import { waitForOutboxDrained } from "../order-flow/wait-for-outbox-drained.js";
import { pause } from "../pause.js";

interface Plan {
  kills: number;
  ordersPerSecond: number;
  /** Orders between two kills (and before the first, after the last). */
  betweenMs: number;
}
const fullPlan: Plan = { kills: 4, ordersPerSecond: 20, betweenMs: 5_000 };
const shortPlan: Plan = { kills: 2, ordersPerSecond: 20, betweenMs: 3_000 };
const drainTimeoutMs = 90_000;

/**
 * relay-kill: order-service — the producer: PlaceOrder commits the order and its OrderPlaced
 * outbox row, its relay publishes — runs as its own process (main.ts, as the devstack starts
 * it) and is SIGKILLed repeatedly while orders arrive at 20/s, then started again at once on
 * the same port, database and NATS (what a supervisor or Kubernetes does). Every order the
 * database holds — also those whose caller saw the kill — must be published and consumed
 * exactly once.
 */
export async function runRelayKill(context: DrillContext): Promise<DrillVerdict> {
  const plan = context.short ? shortPlan : fullPlan;
  const { progress, signal, elapsed } = context;
  const logger = createLogger({ service: "drill", level: "silent" });
  const actions: string[] = [];
  const cleanups: (() => Promise<unknown>)[] = [];
  try {
    const nats = await createTestNats();
    cleanups.push(() => nats.close());
    const namespace = { prefix: nats.prefix };
    const admin = await connect({ servers: nats.url });
    cleanups.push(() => admin.close());
    const jsm = await jetstreamManager(admin, { timeout: 2_000 });
    for (const events of [orderEventsStream, userEventsStream]) {
      for (const stream of [events, deadLetterStreamFor(events)]) {
        await ensureStream(jsm, stream, namespace, { replicas: 1 });
      }
    }
    const certs = createTestCertificates({
      workloads: ["user-service", "order-service", "gateway", testCallerWorkload],
    });
    cleanups.push(async () => certs.remove());
    const usersDatabase = await createTestDatabase({ prefix: "drill_users" });
    cleanups.push(() => usersDatabase.drop());
    const users = await startGrpcService(userService, {
      env: {
        DATABASE_URL: usersDatabase.url,
        NATS_URL: nats.url,
        EVENTS_NAMESPACE: nats.prefix,
        SHUTDOWN_GRACE_MS: "1000",
        ...tlsEnv(certs, "user-service"),
      },
      logger,
      policy: accessPolicyWithTestCaller("user-service"),
    });
    cleanups.push(() => users.stop());

    const ordersDatabase = await createTestDatabase({ prefix: "drill_orders" });
    cleanups.push(() => ordersDatabase.drop());
    const port = await findFreePort();
    const producer = await startProducerProcess({
      GRPC_PORT: String(port),
      DATABASE_URL: ordersDatabase.url,
      NATS_URL: nats.url,
      EVENTS_NAMESPACE: nats.prefix,
      USER_SERVICE_TARGET: users.target,
      SHUTDOWN_GRACE_MS: "1000",
      ...tlsEnv(certs, "order-service"),
    });
    cleanups.push(() => producer.stop());
    const ordersSql = postgres(ordersDatabase.url, { max: 2, onnotice: () => {} });
    cleanups.push(() => ordersSql.end({ timeout: 1 }));
    const recorder = await startOrderPlacedRecorder({ natsUrl: nats.url, namespace, logger });
    cleanups.push(() => recorder.stop());

    // The gateway is the workload the access policy lets place orders.
    const gatewayIdentity = testIdentity(certs, "gateway");
    const caller = testIdentity(certs, testCallerWorkload);
    cleanups.push(async () => {
      gatewayIdentity.close();
      caller.close();
    });
    const orderClient = testClient(OrderServiceClient, {
      target: `127.0.0.1:${port}`,
      server: "order-service",
      identity: gatewayIdentity,
    });
    const userClient = testClient(UserServiceClient, {
      target: users.target,
      server: "user-service",
      identity: caller,
    });
    cleanups.push(async () => {
      orderClient.close();
      userClient.close();
    });
    const customerIds: string[] = [];
    for (let index = 0; index < 10; index++) {
      const { user } = await callUnary(userClient.registerUser.bind(userClient), {
        email: `drill-${nats.prefix}-${index}@example.com`,
        givenName: "Drill",
        familyName: `Customer ${index}`,
      });
      if (user) customerIds.push(user.userId);
    }
    const placeOrder = async (customerId: string) => {
      const { order } = await callUnary(
        orderClient.placeOrder.bind(orderClient),
        {
          customerId,
          currencyCode: "EUR",
          lines: [{ sku: "DRILL-1", quantity: 1, unitPriceMinor: 1_250n, currencyCode: "" }],
        },
        // As the gateway sends it: the signed-in customer orders for themselves.
        { metadata: endUserMetadata({ subject: customerId, scopes: [] }) },
      );
      if (order === undefined) throw new Error("PlaceOrder answered without an order");
      return order.orderId;
    };
    progress(
      `order-service as its own process (pid ${producer.pid()}, 127.0.0.1:${port}), user-service in-process, inbox consumer ${recorder.durableName}; ${customerIds.length} customers`,
    );
    actions.push(`started order-service (main.ts) as process ${producer.pid()}`);

    const load = startOrderLoad({
      placeOrder,
      customerIds,
      ratePerSecond: plan.ordersPerSecond,
      maxInFlight: 8,
    });
    cleanups.push(() => load.stop());
    actions.push(`placed orders through PlaceOrder at ${plan.ordersPerSecond}/s throughout`);
    progress(`placing orders at ${plan.ordersPerSecond}/s`);
    const downtimes: number[] = [];
    for (let round = 1; round <= plan.kills; round++) {
      await pause(plan.betweenMs, signal);
      const victim = producer.pid();
      const killedAt = Date.now();
      await producer.kill();
      actions.push(`SIGKILL order-service (pid ${victim}) at ${elapsed()}`);
      await producer.restart();
      downtimes.push(Date.now() - killedAt);
      actions.push(`restarted order-service (pid ${producer.pid()}) at ${elapsed()}`);
      progress(
        `kill ${round}/${plan.kills}: pid ${victim} SIGKILLed, pid ${producer.pid()} listening after ${Date.now() - killedAt} ms (${load.totals().placedOrderIds.length} orders confirmed so far)`,
      );
    }
    await pause(plan.betweenMs, signal);
    const totals = await load.stop();
    progress(`load stopped: ${totals.placedOrderIds.length} orders confirmed; draining`);
    await waitForOutboxDrained(ordersSql, { timeoutMs: drainTimeoutMs });
    await recorder.waitUntilCaughtUp({ timeoutMs: drainTimeoutMs });
    const stored = (
      await ordersSql<{ id: string }[]>`select order_id::text as "id" from orders`
    ).map((row) => row.id);
    await waitForProjectionsToApply(ordersSql, stored.length, drainTimeoutMs);

    const applied = await recorder.applied();
    const ledger = await orderEventLedger({
      serviceSql: ordersSql,
      // The promise covers every committed order, also those whose caller saw the kill.
      confirmedOrderIds: stored,
      streamEventIds: await streamEventIds(
        jetstream(admin),
        jsm,
        streamNameFor(orderEventsStream, namespace),
        { timeoutMs: 30_000 },
      ),
      applied,
    });
    const unconfirmed = stored.length - totals.placedOrderIds.length;
    const confirmedStored = new Set(stored);
    const confirmedMissing = totals.placedOrderIds.filter((id) => !confirmedStored.has(id));
    return {
      drill: "relay-kill",
      actions,
      measurements: [
        {
          name: "producer processes SIGKILLed / restarted",
          value: `${downtimes.length} / ${downtimes.length}`,
          required: `${plan.kills} / ${plan.kills}`,
          holds: downtimes.length === plan.kills,
        },
        {
          name: "orders confirmed to the caller",
          value: totals.placedOrderIds.length,
        },
        {
          name: "confirmed orders missing from the database",
          value: confirmedMissing.length,
          required: "= 0",
          holds: confirmedMissing.length === 0,
        },
        {
          name: "committed but unconfirmed (the kill cut the answer)",
          value: unconfirmed,
        },
        ...orderEventMeasurements({
          ledger,
          committed: stored.length,
          failuresByCode: totals.failuresByCode,
          // Calls in flight at a kill and during the restart fail (UNAVAILABLE): not the promise.
          failuresAllowed: true,
          maxCommitToAppliedMs: applied.maxCommitToAppliedMs,
        }),
        {
          name: "kill → listening again",
          value: downtimes.map((ms) => `${(ms / 1000).toFixed(1)} s`).join(", "),
        },
      ],
    };
  } finally {
    progress("cleaning up (processes, consumer, databases, streams)");
    for (const cleanup of cleanups.reverse()) {
      await cleanup().catch((error: unknown) =>
        progress(`cleanup step failed: ${(error as Error).message}`),
      );
    }
  }
}

/** order-service's projections run inside the killed process: wait until they applied every order. */
async function waitForProjectionsToApply(sql: postgres.Sql, orders: number, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const [row] = await sql<{ applied: number }[]>`
      select coalesce(min(n), 0)::int as "applied" from (
        select count(*) as n from inbox_messages i join outbox_messages o on o.event_id = i.event_id
         where o.event_type like '%OrderPlaced%' group by i.consumer) per_consumer`;
    if ((row?.applied ?? 0) >= orders) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
