import * as grpc from "@grpc/grpc-js";
import { createAuthorizationInterceptor } from "@switchyard/access-policy";
import { UserServiceClient } from "@switchyard/contracts/grpc/switchyard/user/v1/user_service";
import { createGrpcClient, endUserMetadata, type GrpcServer } from "@switchyard/grpc-kit";
import { HealthRegistry } from "@switchyard/lifecycle";
import { createLogger } from "@switchyard/logging";
import { createWorkloadIdentity, type WorkloadIdentity } from "@switchyard/workload-identity";
import {
  createTestCertificates,
  type TestCertificates,
} from "@switchyard/workload-identity/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createUserServiceGrpcServer } from "../src/user-service-server.js";
import { callUnary, expectStatus, startMigratedDatabase } from "./support/user-service-harness.js";

// user-service as main.ts runs it: mTLS, the real authorization interceptor, end users
// asserted by the gateway's identity; order-service calling as itself.

const logger = createLogger({ service: "test", level: "silent" });
let certs: TestCertificates;
const identities: WorkloadIdentity[] = [];
let server: GrpcServer;
let closeDatabase: () => Promise<void>;
let gateway: UserServiceClient;
let orderService: UserServiceClient;
let ada = "";
let grace = "";
const missing = "00000000-0000-4000-8000-000000000000";

const as = (subject: string, scopes: string[] = []) => ({
  metadata: endUserMetadata({ subject, scopes }),
});

beforeAll(async () => {
  certs = createTestCertificates({ workloads: ["user-service", "gateway", "order-service"] });
  const identity = (workload: string) => {
    const created = createWorkloadIdentity(certs.configFor(workload), { workload, logger });
    identities.push(created);
    return created;
  };
  const own = identity("user-service");
  const migrated = await startMigratedDatabase();
  closeDatabase = migrated.close;
  server = createUserServiceGrpcServer({
    logger,
    health: new HealthRegistry(),
    interceptors: [
      createAuthorizationInterceptor({
        server: "user-service",
        identifyCaller: own.callerOf,
        logger,
      }),
    ],
    db: migrated.database.db,
    clock: { now: () => new Date() },
    idempotencyTtlMs: 60_000,
  });
  const port = await server.listen("127.0.0.1:0", own.serverCredentials());
  const client = (workload: string) =>
    createGrpcClient(UserServiceClient, {
      target: `127.0.0.1:${port}`,
      ...identity(workload).clientTransport("user-service"),
    });
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
  await server?.shutdown(500);
  await closeDatabase?.();
  for (const created of identities) created.close();
  certs?.remove();
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
