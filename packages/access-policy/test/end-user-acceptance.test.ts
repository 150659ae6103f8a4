import * as grpc from "@grpc/grpc-js";
import { UserServiceClient } from "@switchyard/contracts/grpc/switchyard/user/v1/user_service";
import { callUnary, endUserMetadata } from "@switchyard/grpc-kit";
import {
  type ClientTransport,
  createWorkloadIdentity,
  linkerdIdentityOf,
  type WorkloadIdentity,
} from "@switchyard/workload-identity";
import {
  createTestCertificates,
  type TestCertificates,
} from "@switchyard/workload-identity/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type GuardedServer,
  memoryLogger,
  startGuardedUserService,
} from "./support/guarded-user-service.js";

const { logger } = memoryLogger();
const identities: WorkloadIdentity[] = [];
let certs: TestCertificates;

function identity(workload: string, mode: "mtls" | "linkerd" = "mtls"): WorkloadIdentity {
  const config =
    mode === "mtls"
      ? certs.configFor(workload)
      : ({ MESH_MODE: "linkerd", TLS_RELOAD_INTERVAL_MS: 60_000 } as const);
  const created = createWorkloadIdentity(config, { workload, logger });
  identities.push(created);
  return created;
}

type Outcome = { endUser: string } | { code: grpc.status; details: string };

async function getUser(port: number, transport: ClientTransport, metadata: grpc.Metadata) {
  const client = new UserServiceClient(
    `127.0.0.1:${port}`,
    transport.credentials,
    transport.channelOptions,
  );
  try {
    const { user } = await callUnary(
      client.getUser.bind(client),
      { userId: "00000000-0000-4000-8000-000000000001" },
      { metadata, deadlineMs: 3000 },
    );
    return { endUser: user?.email ?? "" } satisfies Outcome;
  } catch (error) {
    const { code, details } = error as grpc.ServiceError;
    return { code, details } satisfies Outcome;
  } finally {
    client.close();
  }
}

const asUser = (subject: string, scopes: string[] = []) => endUserMetadata({ subject, scopes });

beforeAll(() => {
  certs = createTestCertificates();
});
afterAll(() => {
  for (const created of identities) created.close();
  certs?.remove();
});

describe("end users between services (mTLS)", () => {
  let server: GuardedServer;
  beforeAll(async () => {
    server = await startGuardedUserService(identity("user-service"));
  });
  afterAll(() => server?.close());

  it("an end user asserted by the gateway or web-bff reaches CallContext.endUser", async () => {
    const gateway = identity("gateway").clientTransport("user-service");
    expect(await getUser(server.port, gateway, asUser("ada", ["switchyard:admin"]))).toEqual({
      endUser: "ada switchyard:admin",
    });
    const bff = identity("web-bff").clientTransport("user-service");
    expect(await getUser(server.port, bff, asUser("grace"))).toEqual({ endUser: "grace " });
  });

  it("an end user asserted by a workload that may not speak for users is PERMISSION_DENIED", async () => {
    const before = server.handled.length;
    const orders = identity("order-service").clientTransport("user-service");
    expect(await getUser(server.port, orders, asUser("ada", ["switchyard:admin"]))).toEqual({
      code: grpc.status.PERMISSION_DENIED,
      details:
        "order-service may not act for an end user (calling switchyard.user.v1.UserService/GetUser)",
    });
    expect(server.handled.length).toBe(before);
  });

  it("an internal caller without an end user acts as itself; the edge without one is refused", async () => {
    const orders = identity("order-service").clientTransport("user-service");
    expect(await getUser(server.port, orders, new grpc.Metadata())).toEqual({
      endUser: "no end user",
    });
    const gateway = identity("gateway").clientTransport("user-service");
    expect(await getUser(server.port, gateway, new grpc.Metadata())).toEqual({
      code: grpc.status.UNAUTHENTICATED,
      details: "switchyard.user.v1.UserService/GetUser needs an end user: gateway sent none",
    });
  });

  it("malformed end-user metadata from the edge is UNAUTHENTICATED", async () => {
    const metadata = new grpc.Metadata();
    metadata.set("x-switchyard-end-user", "two words");
    const gateway = identity("gateway").clientTransport("user-service");
    expect(await getUser(server.port, gateway, metadata)).toMatchObject({
      code: grpc.status.UNAUTHENTICATED,
    });
  });
});

describe("end users behind Linkerd (the same rule, caller from l5d-client-id)", () => {
  let server: GuardedServer;
  beforeAll(async () => {
    server = await startGuardedUserService(identity("user-service", "linkerd"));
  });
  afterAll(() => server?.close());

  const from = (workload: string, metadata: grpc.Metadata) => {
    metadata.set("l5d-client-id", linkerdIdentityOf(workload));
    return metadata;
  };

  it("believes the gateway's end user and refuses order-service's", async () => {
    const plaintext = identity("gateway", "linkerd").clientTransport("user-service");
    expect(await getUser(server.port, plaintext, from("gateway", asUser("ada")))).toEqual({
      endUser: "ada ",
    });
    expect(
      await getUser(server.port, plaintext, from("order-service", asUser("ada"))),
    ).toMatchObject({ code: grpc.status.PERMISSION_DENIED });
  });
});
