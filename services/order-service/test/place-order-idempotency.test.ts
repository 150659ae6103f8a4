import { randomUUID } from "node:crypto";
import * as grpc from "@grpc/grpc-js";
import type { PlaceOrderRequest } from "@switchyard/contracts/grpc/switchyard/order/v1/order_service";
import { UserStatus } from "@switchyard/contracts/grpc/switchyard/user/v1/user_service";
import { protoTimestamp, userSuspended } from "@switchyard/events";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  grpcError,
  type OrderServiceHarness,
  startOrderService,
} from "./support/order-service-harness.js";

let service: OrderServiceHarness;
beforeAll(async () => {
  service = await startOrderService();
});
afterAll(async () => service?.close());

const request = (quantity = 1): PlaceOrderRequest => ({
  customerId: service.users.activeUserId,
  currencyCode: "EUR",
  lines: [{ sku: "BOOK", quantity, unitPriceMinor: 2_500n, currencyCode: "" }],
});

describe("PlaceOrder idempotency", () => {
  it("a replay with the same key returns the same order and stores one row", async () => {
    const before = await service.counts();
    const first = await service.placeOrder(request(), { idempotencyKey: "replay-1" });
    const second = await service.placeOrder(request(), { idempotencyKey: "replay-1" });
    expect(second).toEqual(first);
    const after = await service.counts();
    expect(after.orders).toBe(before.orders + 1);
    expect(after.orderLines).toBe(before.orderLines + 1);
  });

  it("a replayed PlaceOrder returns the stored order after the customer was suspended", async () => {
    const customerId = service.users.addUser(UserStatus.USER_STATUS_ACTIVE);
    const placeFor = (key?: string) =>
      service.placeOrder(
        { ...request(), customerId },
        key === undefined ? {} : { idempotencyKey: key },
      );
    const first = await placeFor("before-suspension-1");
    // Suspended as user-service does it: the user changes and UserSuspended is published (the
    // event is what ends order-service's cached copy of the customer).
    service.users.setStatus(customerId, UserStatus.USER_STATUS_SUSPENDED);
    await service.bus.publish(userSuspended, {
      eventId: randomUUID(),
      occurTime: protoTimestamp(new Date()),
      userId: customerId,
      userVersion: 2n,
      reason: "test",
    });
    await service.running.waitUntilIdle();
    const before = await service.counts();

    // A new command is refused: the customer check runs for it.
    const refused = await grpcError(placeFor());
    expect(refused.code).toBe(grpc.status.FAILED_PRECONDITION);
    expect(refused.details).toBe(`customer ${customerId} is suspended`);
    // The retry of the command that succeeded is the same command: it gets the stored order.
    const callsBefore = service.users.getUserCalls;
    const replayed = await placeFor("before-suspension-1");
    expect(replayed).toEqual(first);
    expect(service.users.getUserCalls).toBe(callsBefore); // the customer was not even asked
    expect(await service.counts()).toEqual(before);
  });

  it("without a key, two identical calls are two orders", async () => {
    const first = await service.placeOrder(request());
    const second = await service.placeOrder(request());
    expect(second.orderId).not.toBe(first.orderId);
  });

  it("a different request with the same key is FAILED_PRECONDITION and stores nothing", async () => {
    await service.placeOrder(request(1), { idempotencyKey: "reused-1" });
    const before = await service.counts();
    const error = await grpcError(service.placeOrder(request(2), { idempotencyKey: "reused-1" }));
    expect(error.code).toBe(grpc.status.FAILED_PRECONDITION);
    expect(error.details).toBe('idempotency key "reused-1" was reused with a different request');
    expect(await service.counts()).toEqual(before);
  });

  it("100 concurrent PlaceOrder calls with one idempotency key create exactly one order and every success carries the same order_id", async () => {
    const before = await service.counts();
    const results = await Promise.allSettled(
      Array.from({ length: 100 }, () =>
        service.placeOrder(request(7), { idempotencyKey: "burst-1" }),
      ),
    );
    const successes = results.flatMap((r) => (r.status === "fulfilled" ? [r.value] : []));
    const failures = results.flatMap((r) => (r.status === "rejected" ? [r.reason] : []));
    // Wait-and-replay: duplicates block on the key and replay, so none should fail at all.
    expect(failures).toEqual([]);
    expect(successes).toHaveLength(100);
    expect(new Set(successes.map((order) => order.orderId)).size).toBe(1);
    const after = await service.counts();
    expect(after.orders).toBe(before.orders + 1);
    expect(after.idempotencyKeys).toBe(before.idempotencyKeys + 1);
    const [row] = await service.database.sql`
      select count(*)::int as n from orders where order_id = ${successes[0]?.orderId ?? ""}::uuid`;
    expect(row?.n).toBe(1);
  });
});
