import { randomUUID } from "node:crypto";
import * as grpc from "@grpc/grpc-js";
import {
  type OrderServiceClient,
  OrderServiceClient as OrderServiceClientConstructor,
} from "@switchyard/contracts/grpc/switchyard/order/v1/order_service";
import {
  UserServiceClient,
  UserStatus,
} from "@switchyard/contracts/grpc/switchyard/user/v1/user_service";
import type { Database } from "@switchyard/database";
import { protoTimestamp, userRegistered, userSuspended, userUpdated } from "@switchyard/events";
import { callUnary, createGrpcClient, type GrpcServer } from "@switchyard/grpc-kit";
import { HealthRegistry } from "@switchyard/lifecycle";
import { createLogger } from "@switchyard/logging";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createUserServiceCustomerDirectory } from "../src/adapters/user-service-customer-directory.js";
import {
  type ProjectionConsumers,
  startProjectionConsumers,
} from "../src/consumers/projection-consumers.js";
import { createOrderServiceGrpcServer } from "../src/grpc/order-service-server.js";
import {
  applyCustomerChange,
  customerProjection,
} from "../src/projections/customer-from-user-event.js";
import { createProjectedCustomerDirectory } from "../src/projections/projected-customer-directory.js";
import { customers } from "../src/projections/projection-tables.js";
import { createMigratedDatabase } from "./support/migrated-database.js";
import { grpcError } from "./support/order-service-harness.js";
import { createTestEventBus, type TestEventBus } from "./support/test-event-bus.js";
import { startUserServiceStub, type UserServiceStub } from "./support/user-service-stub-server.js";

const logger = createLogger({ service: "order-service", level: "silent" });
let database: Database;
let dropDatabase: () => Promise<void>;
let bus: TestEventBus;
let consumers: ProjectionConsumers;
let users: UserServiceStub;
let userServiceClient: UserServiceClient;
let server: GrpcServer;
let client: OrderServiceClient;

beforeAll(async () => {
  ({ database, drop: dropDatabase } = await createMigratedDatabase());
  bus = await createTestEventBus();
  consumers = await startProjectionConsumers({
    js: bus.js,
    jsm: bus.jsm,
    db: database.db,
    namespace: bus.namespace,
    projections: [customerProjection],
    logger,
  });
  users = await startUserServiceStub();
  userServiceClient = createGrpcClient(UserServiceClient, { target: users.target });
  server = createOrderServiceGrpcServer({
    logger,
    health: new HealthRegistry(),
    db: database.db,
    customers: createProjectedCustomerDirectory({
      db: database.db,
      fallback: createUserServiceCustomerDirectory({ client: userServiceClient, deadlineMs: 500 }),
    }),
    idempotencyTtlMs: 60_000,
  });
  const port = await server.listen("127.0.0.1:0");
  client = createGrpcClient(OrderServiceClientConstructor, { target: `127.0.0.1:${port}` });
});

afterAll(async () => {
  client?.close();
  userServiceClient?.close();
  await server?.shutdown(1_000);
  await users?.stop();
  await consumers?.stop();
  await bus?.close();
  await dropDatabase?.();
});

const at = (version: number) => protoTimestamp(new Date(1_767_225_600_000 + version));

function registered(userId: string, version = 1n, givenName = "Ada") {
  return {
    eventId: randomUUID(),
    occurTime: at(Number(version)),
    userId,
    userVersion: version,
    email: "ada@example.com",
    givenName,
    familyName: "Lovelace",
  };
}

const placeOrderFor = (customerId: string) =>
  callUnary(client.placeOrder.bind(client), {
    customerId,
    currencyCode: "EUR",
    lines: [{ sku: "TEA", quantity: 1, unitPriceMinor: 100n, currencyCode: "" }],
  });

async function customerRow(customerId: string) {
  const [row] = await database.db
    .select()
    .from(customers)
    .where(eq(customers.customerId, customerId));
  return row;
}

describe("customers projection (ACL, async half)", () => {
  it("lets a customer registered through a user event order while user-service is down", async () => {
    const customerId = randomUUID(); // unknown to the user-service stub: only the event knows it
    await bus.publish(userRegistered, registered(customerId), {
      source: "switchyard/user-service",
    });
    await consumers.waitUntilCaughtUp();
    const callsBefore = users.getUserCalls;
    users.delayMs = 5_000; // user-service hangs: asking it would fail UNAVAILABLE after 500 ms

    const { order } = await placeOrderFor(customerId).finally(() => {
      users.delayMs = 0;
    });

    expect(order?.customerId).toBe(customerId);
    expect(users.getUserCalls).toBe(callsBefore); // user-service was not asked
    expect(await customerRow(customerId)).toMatchObject({
      displayName: "Ada Lovelace",
      standing: "active",
      sourceVersion: 1n,
    });
  });

  it("refuses a customer whose suspension arrived as an event", async () => {
    const customerId = users.addUser(UserStatus.USER_STATUS_ACTIVE); // user-service is stale here
    await bus.publish(userRegistered, registered(customerId));
    await bus.publish(userSuspended, {
      eventId: randomUUID(),
      occurTime: at(2),
      userId: customerId,
      userVersion: 2n,
      reason: "chargeback",
    });
    await consumers.waitUntilCaughtUp();

    const error = await grpcError(placeOrderFor(customerId));

    expect(error.code).toBe(grpc.status.FAILED_PRECONDITION);
    expect(error.details).toBe(`customer ${customerId} is suspended`);
  });

  it("asks user-service, through the synchronous adapter, about a customer not projected yet", async () => {
    const customerId = users.addUser(UserStatus.USER_STATUS_ACTIVE);
    const callsBefore = users.getUserCalls;

    const { order } = await placeOrderFor(customerId);

    expect(order?.customerId).toBe(customerId);
    expect(users.getUserCalls).toBe(callsBefore + 1);
    const unknown = await grpcError(placeOrderFor(randomUUID()));
    expect(unknown.code).toBe(grpc.status.FAILED_PRECONDITION);
    expect(unknown.details).toMatch(/does not exist$/);
  });

  it("ends in the newest state whatever order one user's events are applied in", async () => {
    const customerId = randomUUID();
    const apply = (change: Parameters<typeof applyCustomerChange>[1]) =>
      database.db.transaction((tx) => applyCustomerChange(tx, change));
    await apply({ customerId, sourceVersion: 4n, displayName: "Augusta King" }); // UserUpdated v4
    await apply({ customerId, sourceVersion: 3n, standing: "suspended" }); // UserSuspended v3
    await apply({ customerId, sourceVersion: 2n, displayName: "Ada King" }); // UserUpdated v2
    await apply({ customerId, sourceVersion: 1n, displayName: "Ada L", standing: "active" }); // v1

    expect(await customerRow(customerId)).toEqual({
      customerId,
      displayName: "Augusta King",
      displayNameVersion: 4n,
      standing: "suspended",
      standingVersion: 3n,
      sourceVersion: 4n,
    });
  });

  it("applies a profile update delivered through the stream", async () => {
    const customerId = randomUUID();
    await bus.publish(userRegistered, registered(customerId));
    await bus.publish(userUpdated, {
      eventId: randomUUID(),
      occurTime: at(2),
      userId: customerId,
      userVersion: 2n,
      givenName: " Augusta Ada ",
      familyName: "King",
    });
    await consumers.waitUntilCaughtUp();

    expect(await customerRow(customerId)).toMatchObject({
      displayName: "Augusta Ada King",
      standing: "active",
      sourceVersion: 2n,
    });
  });
});
