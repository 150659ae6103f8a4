import { randomUUID } from "node:crypto";
import * as grpc from "@grpc/grpc-js";
import type { OrderServiceClient } from "@switchyard/contracts/grpc/switchyard/order/v1/order_service";
import { UserStatus } from "@switchyard/contracts/grpc/switchyard/user/v1/user_service";
import type { Database } from "@switchyard/database";
import { protoTimestamp, userRegistered, userSuspended, userUpdated } from "@switchyard/events";
import { callUnary } from "@switchyard/grpc-kit";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyCustomerChange } from "../src/projections/customer-from-user-event.js";
import { customers } from "../src/projections/projection-tables.js";
import {
  grpcError,
  type OrderServiceHarness,
  startOrderService,
} from "./support/order-service-harness.js";
import type { TestEventBus } from "./support/test-event-bus.js";
import type { UserServiceStub } from "./support/user-service-stub-server.js";

let service: OrderServiceHarness;
let database: Database;
let bus: TestEventBus;
let users: UserServiceStub;
let client: OrderServiceClient;
const consumers = { waitUntilCaughtUp: () => service.events.waitForReadModels() };

beforeAll(async () => {
  service = await startOrderService({ customerLookupDeadlineMs: 500 });
  ({ database, bus, users, client } = service);
});

afterAll(async () => {
  await service?.close();
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
