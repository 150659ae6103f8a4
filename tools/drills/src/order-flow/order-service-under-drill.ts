import { OrderServiceClient } from "@switchyard/contracts/grpc/switchyard/order/v1/order_service";
import { UserServiceClient } from "@switchyard/contracts/grpc/switchyard/user/v1/user_service";
import type { EventNamespace } from "@switchyard/events";
import { callUnary } from "@switchyard/grpc-kit";
import type { Logger } from "@switchyard/logging";
import { orderService, projectionConsumersName } from "@switchyard/order-service/testing";
import { type RunningGrpcService, startGrpcService } from "@switchyard/service-host";
import {
  accessPolicyWithTestCaller,
  testCallerWorkload,
  testClient,
  testIdentity,
  tlsEnv,
} from "@switchyard/service-host/testing";
import { createTestDatabase, type TestDatabase } from "@switchyard/testing";
import { userService } from "@switchyard/user-service/testing";
import { createTestCertificates } from "@switchyard/workload-identity/testing";
import type postgres from "postgres";
import type { PlaceOrder } from "./order-load.js";
import { waitForOutboxDrained } from "./wait-for-outbox-drained.js";

/** order-service (and the user-service it asks about customers), running against the cluster. */
export interface OrderServiceUnderDrill {
  placeOrder: PlaceOrder;
  /** Customers registered through user-service before the load starts. */
  customerIds: readonly string[];
  /** order-service's own database: orders, outbox rows and its projections' inbox rows. */
  sql: postgres.Sql;
  /** Resolves once order-service's own projection consumers have consumed their streams. */
  waitForProjections(options: { timeoutMs: number }): Promise<void>;
  /** Stops both services as production does (drain, relay, consumers, NATS), drops their databases. */
  stop(): Promise<void>;
}

/**
 * The REAL services, from the declarations production runs, started in-process by the gRPC
 * host on 127.0.0.1:0 with mTLS (test certificates from the real script), each over its own
 * fresh database, both on the cluster (`NATS_URL` lists every node, `EVENTS_STREAM_REPLICAS`).
 * order-service commits each order with its OrderPlaced outbox row and relays it; its
 * projections consume user and order events. Calls come from the test workload, which only
 * `accessPolicyWithTestCaller` admits.
 */
export async function startOrderServiceUnderDrill(options: {
  natsUrl: string;
  namespace: EventNamespace;
  streamReplicas: number;
  logger: Logger;
  customers: number;
}): Promise<OrderServiceUnderDrill> {
  const certs = createTestCertificates({
    workloads: ["user-service", "order-service", testCallerWorkload],
  });
  const caller = testIdentity(certs, testCallerWorkload);
  const databases: TestDatabase[] = [];
  const services: RunningGrpcService<unknown>[] = [];
  const clients: { close(): void }[] = [];
  const stop = async () => {
    for (const client of clients) client.close();
    // order-service first: it calls user-service.
    for (const service of services.reverse()) await service.stop();
    for (const database of databases) await database.drop();
    caller.close();
    certs.remove();
  };
  const common = {
    NATS_URL: options.natsUrl,
    EVENTS_NAMESPACE: options.namespace.prefix,
    EVENTS_STREAM_REPLICAS: String(options.streamReplicas),
    SHUTDOWN_GRACE_MS: "1000",
  };
  try {
    const usersDatabase = await createTestDatabase({ prefix: "drill_users" });
    databases.push(usersDatabase);
    const users = await startGrpcService(userService, {
      env: { ...common, DATABASE_URL: usersDatabase.url, ...tlsEnv(certs, "user-service") },
      logger: options.logger,
      policy: accessPolicyWithTestCaller("user-service"),
    });
    services.push(users as RunningGrpcService<unknown>);
    const ordersDatabase = await createTestDatabase({ prefix: "drill_orders" });
    databases.push(ordersDatabase);
    const orders = await startGrpcService(orderService, {
      env: {
        ...common,
        DATABASE_URL: ordersDatabase.url,
        USER_SERVICE_TARGET: users.target,
        ...tlsEnv(certs, "order-service"),
      },
      logger: options.logger,
      policy: accessPolicyWithTestCaller("order-service"),
    });
    services.push(orders as RunningGrpcService<unknown>);

    const userClient = testClient(UserServiceClient, {
      target: users.target,
      server: "user-service",
      identity: caller,
    });
    clients.push(userClient);
    const orderClient = testClient(OrderServiceClient, {
      target: orders.target,
      server: "order-service",
      identity: caller,
    });
    clients.push(orderClient);

    const customerIds: string[] = [];
    for (let index = 0; index < options.customers; index++) {
      const { user } = await callUnary(userClient.registerUser.bind(userClient), {
        email: `drill-${options.namespace.prefix}-${index}@example.com`,
        givenName: "Drill",
        familyName: `Customer ${index}`,
      });
      if (user === undefined) throw new Error("RegisterUser answered without a user");
      customerIds.push(user.userId);
    }
    // Customers known to order-service from their UserRegistered events before any order:
    // PlaceOrder then never waits on user-service, so a slow machine cannot fail an order for
    // a reason the drills are not about.
    await waitForOutboxDrained(users.context.database.sql, { timeoutMs: 60_000 });
    await waitForProjectionConsumers(orders, { timeoutMs: 60_000 });
    return {
      customerIds,
      sql: orders.context.database.sql,
      waitForProjections: (waitOptions) => waitForProjectionConsumers(orders, waitOptions),
      async placeOrder(customerId) {
        const { order } = await callUnary(orderClient.placeOrder.bind(orderClient), {
          customerId,
          currencyCode: "EUR",
          lines: [{ sku: "DRILL-1", quantity: 1, unitPriceMinor: 1_250n, currencyCode: "" }],
        });
        if (order === undefined) throw new Error("PlaceOrder answered without an order");
        return order.orderId;
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function waitForProjectionConsumers(
  orders: RunningGrpcService<unknown>,
  options: { timeoutMs: number },
): Promise<void> {
  const projections = orders.background[projectionConsumersName];
  if (projections?.waitUntilCaughtUp === undefined) {
    throw new Error(`order-service runs no "${projectionConsumersName}" to wait for`);
  }
  await projections.waitUntilCaughtUp(options);
}
