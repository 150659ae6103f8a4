import * as grpc from "@grpc/grpc-js";
import { UserServiceClient } from "@switchyard/contracts/grpc/switchyard/user/v1/user_service";
import { DomainError } from "@switchyard/errors";
import { createGrpcClient } from "@switchyard/grpc-kit";
import { testIdentity } from "@switchyard/service-host/testing";
import type { WorkloadIdentity } from "@switchyard/workload-identity";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createUserServiceCustomerDirectory } from "../src/grpc/user-service-customer-directory.js";
import {
  grpcError,
  type OrderServiceHarness,
  orderServiceTestCertificates,
  startOrderService,
} from "./support/order-service-harness.js";
import { startUserServiceStub, type UserServiceStub } from "./support/user-service-stub-server.js";

async function domainRejection(promise: Promise<unknown>): Promise<DomainError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DomainError);
  return error as DomainError;
}

describe("user-service customer directory (the anti-corruption adapter)", () => {
  let users: UserServiceStub;
  let client: UserServiceClient;
  // mTLS both ways, as in production: the stub is user-service, the caller order-service.
  let userServiceIdentity: WorkloadIdentity;
  let orderServiceIdentity: WorkloadIdentity;
  const dial = (target: string) =>
    createGrpcClient(UserServiceClient, {
      target,
      ...orderServiceIdentity.clientTransport("user-service"),
    });
  beforeAll(async () => {
    const certs = orderServiceTestCertificates();
    userServiceIdentity = testIdentity(certs, "user-service");
    orderServiceIdentity = testIdentity(certs, "order-service");
    users = await startUserServiceStub(userServiceIdentity.serverCredentials());
    client = dial(users.target);
  });
  afterAll(async () => {
    client?.close();
    await users?.stop();
    userServiceIdentity?.close();
    orderServiceIdentity?.close();
  });
  afterEach(() => {
    users.delayMs = 0;
  });

  const directory = (deadlineMs = 1_000) =>
    createUserServiceCustomerDirectory({ client, deadlineMs });

  it("translates an active user into an active customer", async () => {
    expect(await directory().findCustomer(users.activeUserId)).toEqual({
      customerId: users.activeUserId,
      standing: "active",
    });
  });

  it("translates a suspended user into a suspended customer", async () => {
    expect(await directory().findCustomer(users.suspendedUserId)).toEqual({
      customerId: users.suspendedUserId,
      standing: "suspended",
    });
  });

  it("answers undefined for a user-service NOT_FOUND", async () => {
    expect(await directory().findCustomer(crypto.randomUUID())).toBeUndefined();
  });

  it("gives up at its own deadline with unavailable", async () => {
    users.delayMs = 2_000;
    const started = performance.now();
    const error = await domainRejection(directory(200).findCustomer(users.activeUserId));
    const elapsed = performance.now() - started;
    expect(error.kind).toBe("unavailable");
    expect(error.message).toBe("customer directory is unavailable");
    expect(elapsed).toBeGreaterThanOrEqual(150);
    expect(elapsed).toBeLessThan(1_000);
  });

  it("says unavailable when nothing listens at the target", async () => {
    const stopped = await startUserServiceStub(userServiceIdentity.serverCredentials());
    await stopped.stop();
    const deadClient = dial(stopped.target);
    try {
      const error = await domainRejection(
        createUserServiceCustomerDirectory({ client: deadClient, deadlineMs: 500 }).findCustomer(
          crypto.randomUUID(),
        ),
      );
      expect(error.kind).toBe("unavailable");
    } finally {
      deadClient.close();
    }
  });
});

describe("PlaceOrder when the customer lookup is too slow", () => {
  let service: OrderServiceHarness;
  beforeAll(async () => {
    service = await startOrderService({ customerLookupDeadlineMs: 300 });
  });
  afterAll(async () => service?.close());

  it("fails UNAVAILABLE within about the lookup deadline and creates no order", async () => {
    service.users.delayMs = 3_000;
    const before = await service.counts();
    const started = performance.now();
    const error = await grpcError(
      service.placeOrder(
        {
          customerId: service.users.activeUserId,
          currencyCode: "EUR",
          lines: [{ sku: "A", quantity: 1, unitPriceMinor: 1n, currencyCode: "" }],
        },
        { idempotencyKey: "slow-lookup" },
      ),
    );
    const elapsed = performance.now() - started;
    expect(error.code).toBe(grpc.status.UNAVAILABLE);
    expect(error.details).toBe("customer directory is unavailable");
    expect(elapsed).toBeGreaterThanOrEqual(250);
    expect(elapsed).toBeLessThan(1_500);
    expect(await service.counts()).toEqual(before);

    // The same key works once user-service is fast again: a failed lookup burns no key.
    service.users.delayMs = 0;
    const order = await service.placeOrder(
      {
        customerId: service.users.activeUserId,
        currencyCode: "EUR",
        lines: [{ sku: "A", quantity: 1, unitPriceMinor: 1n, currencyCode: "" }],
      },
      { idempotencyKey: "slow-lookup" },
    );
    expect(order.totalMinor).toBe(1n);
    expect((await service.counts()).orders).toBe(before.orders + 1);
  });
});
