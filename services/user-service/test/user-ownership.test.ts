import * as grpc from "@grpc/grpc-js";
import { UserServiceClient } from "@switchyard/contracts/grpc/switchyard/user/v1/user_service";
import { endUserMetadata } from "@switchyard/grpc-kit";
import { testClient, testIdentity } from "@switchyard/service-host/testing";
import type { WorkloadIdentity } from "@switchyard/workload-identity";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  callUnary,
  expectStatus,
  startUserService,
  type UserServiceHarness,
} from "./support/user-service-harness.js";

// user-service as main.ts runs it, with THE access policy (no test caller): end users asserted
// by the gateway's identity; order-service calling as itself.

let service: UserServiceHarness;
const identities: WorkloadIdentity[] = [];
let gateway: UserServiceClient;
let orderService: UserServiceClient;
let ada = "";
let grace = "";
const missing = "00000000-0000-4000-8000-000000000000";

const as = (subject: string, scopes: string[] = []) => ({
  metadata: endUserMetadata({ subject, scopes }),
});

beforeAll(async () => {
  service = await startUserService({ policy: "production" });
  const client = (workload: string) => {
    const identity = testIdentity(service.certs, workload);
    identities.push(identity);
    return testClient(UserServiceClient, {
      target: service.running.target,
      server: "user-service",
      identity,
    });
  };
  gateway = client("gateway");
  orderService = client("order-service");
  const register = async (givenName: string) => {
    // Signup is the one method the gateway calls without an end user.
    const { user } = await callUnary(gateway.registerUser.bind(gateway), {
      email: `${givenName.toLowerCase()}.${Date.now()}@example.com`,
      givenName,
      familyName: "Test",
    });
    return user?.userId ?? "";
  };
  ada = await register("Ada");
  grace = await register("Grace");
});

afterAll(async () => {
  gateway?.close();
  orderService?.close();
  for (const identity of identities) identity.close();
  await service?.close();
});

describe("user ownership (end user asserted by the gateway)", () => {
  it("a user reads and updates their own profile", async () => {
    const { user } = await callUnary(gateway.getUser.bind(gateway), { userId: ada }, as(ada));
    expect(user?.userId).toBe(ada);
    const updated = await callUnary(
      gateway.updateUser.bind(gateway),
      { userId: ada, givenName: "Augusta", familyName: "King", expectedVersion: 1n },
      as(ada),
    );
    expect(updated.user?.givenName).toBe("Augusta");
  });

  it("another user and a missing user look the same to a user: PERMISSION_DENIED", async () => {
    const foreign = await expectStatus(
      callUnary(gateway.getUser.bind(gateway), { userId: ada }, as(grace)),
      grpc.status.PERMISSION_DENIED,
    );
    expect(foreign.details).toBe(`the authenticated user may not read user ${ada}`);
    await expectStatus(
      callUnary(gateway.getUser.bind(gateway), { userId: missing }, as(grace)),
      grpc.status.PERMISSION_DENIED,
    );
  });

  it("an admin reads anyone (NOT_FOUND for nobody) but does not update them", async () => {
    const { user } = await callUnary(
      gateway.getUser.bind(gateway),
      { userId: ada },
      as(grace, ["switchyard:admin"]),
    );
    expect(user?.userId).toBe(ada);
    await expectStatus(
      callUnary(
        gateway.getUser.bind(gateway),
        { userId: missing },
        as(grace, ["switchyard:admin"]),
      ),
      grpc.status.NOT_FOUND,
    );
    await expectStatus(
      callUnary(
        gateway.updateUser.bind(gateway),
        { userId: ada, givenName: "Mallory", familyName: "X", expectedVersion: 2n },
        as(grace, ["switchyard:admin"]),
      ),
      grpc.status.PERMISSION_DENIED,
    );
    const after = await callUnary(gateway.getUser.bind(gateway), { userId: ada }, as(ada));
    expect(after.user?.givenName).toBe("Augusta");
  });

  it("order-service looks up a customer as itself, without an end user", async () => {
    const { user } = await callUnary(orderService.getUser.bind(orderService), { userId: grace });
    expect(user?.userId).toBe(grace);
  });
});
