import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import * as grpc from "@grpc/grpc-js";
import { UserStatus } from "@switchyard/contracts/grpc/switchyard/user/v1/user_service";
import { protoTimestamp, userRegistered, userSuspended } from "@switchyard/events";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CustomerCache, runningCustomerCache } from "../src/caching/customer-cache.js";
import {
  grpcError,
  type OrderServiceHarness,
  startOrderService,
} from "./support/order-service-harness.js";

let service: OrderServiceHarness;
let customers: CustomerCache;
beforeAll(async () => {
  service = await startOrderService();
  const cache = runningCustomerCache(service.running.context);
  if (cache === undefined) throw new Error("order-service made no customers cache");
  customers = cache;
});
afterAll(async () => service?.close());

/**
 * Looks the customer up back to back until stopped: what each lookup answered, in order.
 * Run while an event is applied, it is where a cache that kept a copy read before the
 * projection caught up would show it (an old answer AFTER a new one).
 */
function lookUpContinuously(customerId: string): { stop(): Promise<string[]> } {
  const seen: string[] = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      seen.push((await customers.directory.findCustomer(customerId))?.standing ?? "none");
      await sleep(1);
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return seen;
    },
  };
}

/** The answers with repeats collapsed: ["none", "active"] means none, then only active. */
function transitions(seen: string[]): string[] {
  return seen.filter((answer, i) => i === 0 || seen[i - 1] !== answer);
}

describe("customers cache in front of the ACL (real Postgres, NATS, gRPC stub of user-service)", () => {
  it("50 concurrent lookups of a customer not projected yet → one GetUser to user-service", async () => {
    const customerId = service.users.addUser(UserStatus.USER_STATUS_ACTIVE);
    const callsBefore = service.users.getUserCalls;
    const answers = await Promise.all(
      Array.from({ length: 50 }, () => customers.directory.findCustomer(customerId)),
    );
    expect(answers.every((customer) => customer?.standing === "active")).toBe(true);
    expect(service.users.getUserCalls - callsBefore).toBe(1);
  });

  it("a UserSuspended ends the cached 'active' on the next lookup after the projection applied it: never 'active' again, PlaceOrder refuses", async () => {
    const customerId = service.users.addUser(UserStatus.USER_STATUS_ACTIVE);
    expect((await customers.directory.findCustomer(customerId))?.standing).toBe("active");
    const lookups = lookUpContinuously(customerId);

    service.users.setStatus(customerId, UserStatus.USER_STATUS_SUSPENDED);
    const published = Date.now();
    await service.bus.publish(userSuspended, {
      eventId: randomUUID(),
      occurTime: protoTimestamp(new Date()),
      userId: customerId,
      userVersion: 2n,
      reason: "chargeback",
    });
    await service.running.waitUntilIdle(); // the projection has applied it
    const applied = Date.now() - published;
    const seen = await lookups.stop();
    expect(transitions(seen)).toEqual(["active", "suspended"]);
    expect((await customers.directory.findCustomer(customerId))?.standing).toBe("suspended");
    console.log(
      `[customers cache] suspension applied by the projection ${applied} ms after publishing; ${seen.length} lookups meanwhile, "active" never after "suspended"`,
    );

    const refused = await grpcError(
      service.placeOrder({
        customerId,
        currencyCode: "EUR",
        lines: [{ sku: "BOOK", quantity: 1, unitPriceMinor: 2_500n, currencyCode: "" }],
      }),
    );
    expect(refused.code).toBe(grpc.status.FAILED_PRECONDITION);
    expect(refused.details).toBe(`customer ${customerId} is suspended`);
  });

  it("an unknown customer is cached negatively, then found once UserRegistered is applied", async () => {
    const customerId = randomUUID(); // known to no one yet
    const callsBefore = service.users.getUserCalls;
    expect(await customers.directory.findCustomer(customerId)).toBeUndefined();
    expect(await customers.directory.findCustomer(customerId)).toBeUndefined();
    expect(service.users.getUserCalls - callsBefore).toBe(1); // the second came from the cache

    const lookups = lookUpContinuously(customerId);
    await service.bus.publish(userRegistered, {
      eventId: randomUUID(),
      occurTime: protoTimestamp(new Date()),
      userId: customerId,
      userVersion: 1n,
      email: `${customerId}@example.test`,
      givenName: "Grace",
      familyName: "Hopper",
    });
    await service.running.waitUntilIdle();
    const seen = await lookups.stop();
    expect(transitions(seen)).toEqual(["none", "active"]);
    expect((await customers.directory.findCustomer(customerId))?.standing).toBe("active");
  });
});
