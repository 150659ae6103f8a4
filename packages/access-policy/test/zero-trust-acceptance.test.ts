import { readFileSync } from "node:fs";
import * as grpc from "@grpc/grpc-js";
import {
  HealthCheckResponse_ServingStatus,
  HealthClient,
} from "@switchyard/contracts/grpc/grpc/health/v1/health";
import { UserServiceClient } from "@switchyard/contracts/grpc/switchyard/user/v1/user_service";
import { callUnary } from "@switchyard/grpc-kit";
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
let foreign: TestCertificates;

function identity(workload: string, from: TestCertificates = certs): WorkloadIdentity {
  const created = createWorkloadIdentity(from.configFor(workload), { workload, logger });
  identities.push(created);
  return created;
}

function meshIdentity(workload: string): WorkloadIdentity {
  const created = createWorkloadIdentity(
    { MESH_MODE: "linkerd", TLS_RELOAD_INTERVAL_MS: 60_000 },
    { workload, logger },
  );
  identities.push(created);
  return created;
}

type Outcome = { caller: string } | { code: grpc.status; details: string };

async function registerUser(
  port: number,
  transport: ClientTransport,
  metadata = new grpc.Metadata(),
): Promise<Outcome> {
  const client = new UserServiceClient(
    `127.0.0.1:${port}`,
    transport.credentials,
    transport.channelOptions,
  );
  try {
    const { user } = await callUnary(
      client.registerUser.bind(client),
      { email: "ada@example.com", givenName: "Ada", familyName: "Lovelace" },
      { metadata, deadlineMs: 3000 },
    );
    return { caller: user?.givenName ?? "" };
  } catch (error) {
    const { code, details } = error as grpc.ServiceError;
    return { code, details };
  } finally {
    client.close();
  }
}

async function healthCheck(port: number, transport: ClientTransport): Promise<Outcome | string> {
  const client = new HealthClient(
    `127.0.0.1:${port}`,
    transport.credentials,
    transport.channelOptions,
  );
  try {
    const { status } = await callUnary(
      client.check.bind(client),
      { service: "" },
      { deadlineMs: 3000 },
    );
    return HealthCheckResponse_ServingStatus[status] ?? String(status);
  } catch (error) {
    const { code, details } = error as grpc.ServiceError;
    return { code, details };
  } finally {
    client.close();
  }
}

beforeAll(() => {
  certs = createTestCertificates();
  foreign = createTestCertificates();
});

afterAll(() => {
  for (const created of identities) created.close();
  certs?.remove();
  foreign?.remove();
});

describe("zero trust between services, locally (mTLS by grpc-js)", () => {
  let server: GuardedServer;
  beforeAll(async () => {
    server = await startGuardedUserService(identity("user-service"));
  });
  afterAll(() => server?.close());

  it("a client with no certificate is rejected at the handshake", async () => {
    const outcome = await registerUser(server.port, {
      credentials: grpc.credentials.createSsl(readFileSync(certs.caFile)),
      channelOptions: { "grpc.ssl_target_name_override": "user-service" },
    });
    expect(outcome).toMatchObject({ code: grpc.status.UNAVAILABLE });
    expect(server.handled).toEqual([]);
  });

  it("a certificate from another CA is rejected", async () => {
    const outcome = await registerUser(server.port, {
      credentials: grpc.credentials.createSsl(
        readFileSync(certs.caFile),
        readFileSync(foreign.keyFile("gateway")),
        readFileSync(foreign.certFile("gateway")),
      ),
      channelOptions: { "grpc.ssl_target_name_override": "user-service" },
    });
    expect(outcome).toMatchObject({ code: grpc.status.UNAVAILABLE });
    expect(server.handled).toEqual([]);
  });

  it("a valid certificate whose identity is not allowed for the method gets PERMISSION_DENIED", async () => {
    const outcome = await registerUser(
      server.port,
      identity("web-bff").clientTransport("user-service"),
    );
    expect(outcome).toEqual({
      code: grpc.status.PERMISSION_DENIED,
      details: "web-bff may not call switchyard.user.v1.UserService/RegisterUser",
    });
    expect(server.handled).toEqual([]);
    expect(server.logLines.join("")).toContain("call refused by the access policy");
  });

  it("an allowed one succeeds, and the handler sees the caller in CallContext.caller", async () => {
    const outcome = await registerUser(
      server.port,
      identity("gateway").clientTransport("user-service"),
    );
    expect(outcome).toEqual({ caller: "gateway" });
    expect(server.handled).toEqual(["RegisterUser"]);
  });

  it("outside mesh mode a client-sent l5d-client-id is ignored: the certificate decides", async () => {
    const forged = new grpc.Metadata();
    forged.set("l5d-client-id", linkerdIdentityOf("gateway"));
    const outcome = await registerUser(
      server.port,
      identity("devstack").clientTransport("user-service"),
      forged,
    );
    expect(outcome).toEqual({
      code: grpc.status.PERMISSION_DENIED,
      details: "devstack may not call switchyard.user.v1.UserService/RegisterUser",
    });
  });

  it("health is open to every authenticated workload, even one with no business access", async () => {
    expect(
      await healthCheck(server.port, identity("devstack").clientTransport("user-service")),
    ).toBe("SERVING");
  });
});

describe("zero trust behind Linkerd (MESH_MODE=linkerd: plaintext, caller from l5d-client-id)", () => {
  let server: GuardedServer;
  const plaintext = () => meshIdentity("gateway").clientTransport("user-service");
  const fromMesh = (workload: string) => {
    const metadata = new grpc.Metadata();
    metadata.set("l5d-client-id", linkerdIdentityOf(workload));
    return metadata;
  };

  beforeAll(async () => {
    server = await startGuardedUserService(meshIdentity("user-service"));
  });
  afterAll(() => server?.close());

  it("plaintext is accepted and l5d-client-id decides", async () => {
    expect(await registerUser(server.port, plaintext(), fromMesh("gateway"))).toEqual({
      caller: "gateway",
    });
    expect(await registerUser(server.port, plaintext(), fromMesh("web-bff"))).toEqual({
      code: grpc.status.PERMISSION_DENIED,
      details: "web-bff may not call switchyard.user.v1.UserService/RegisterUser",
    });
  });

  it("a call without a mesh identity is UNAUTHENTICATED, except health Check (kubelet probes)", async () => {
    expect(await registerUser(server.port, plaintext())).toMatchObject({
      code: grpc.status.UNAUTHENTICATED,
    });
    expect(await healthCheck(server.port, plaintext())).toBe("SERVING");
  });
});
