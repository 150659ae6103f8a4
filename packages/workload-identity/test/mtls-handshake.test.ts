import { readFileSync } from "node:fs";
import { TLSSocket } from "node:tls";
import * as grpc from "@grpc/grpc-js";
import { UserServiceClient } from "@switchyard/contracts/grpc/switchyard/user/v1/user_service";
import { callUnary } from "@switchyard/grpc-kit";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createWorkloadIdentity, linkerdIdentityOf, type WorkloadIdentity } from "../src/index.js";
import { createTestCertificates, type TestCertificates } from "../src/testing.js";
import {
  callerSeenBy,
  callFailure,
  memoryLogger,
  startIdentityProbeServer,
} from "./support/identity-probe-server.js";
import { tlsHandshake } from "./support/tls-handshake.js";

let certs: TestCertificates;
let foreign: TestCertificates;
let server: WorkloadIdentity;
let probe: { port: number; close(): Promise<void> };
const clients: WorkloadIdentity[] = [];
const logs = memoryLogger();

function identityOf(workload: string, from = certs): WorkloadIdentity {
  const identity = createWorkloadIdentity(from.configFor(workload), {
    workload,
    logger: logs.logger,
  });
  clients.push(identity);
  return identity;
}

beforeAll(async () => {
  certs = createTestCertificates();
  foreign = createTestCertificates();
  server = identityOf("user-service");
  probe = await startIdentityProbeServer(server);
});

afterAll(async () => {
  await probe?.close();
  for (const identity of clients) identity.close();
  certs?.remove();
  foreign?.remove();
});

describe("mTLS between workloads (mtls mode)", () => {
  it("a client with a certificate of the CA gets through and is identified by its SPIFFE ID", async () => {
    const gateway = identityOf("gateway");
    expect(await callerSeenBy(probe.port, gateway.clientTransport("user-service"))).toBe("gateway");
    const handshake = await tlsHandshake(probe.port, {
      caFile: certs.caFile,
      certFile: certs.certFile("gateway"),
      keyFile: certs.keyFile("gateway"),
    });
    expect(handshake.outcome).toBe("accepted");
  });

  it("a client with no certificate is rejected at the handshake", async () => {
    const handshake = await tlsHandshake(probe.port, { caFile: certs.caFile });
    expect(handshake).toEqual({
      outcome: "rejected",
      reason: "ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED",
    });
    const error = await callFailure(probe.port, {
      credentials: grpc.credentials.createSsl(readFileSync(certs.caFile)),
      channelOptions: { "grpc.ssl_target_name_override": "user-service" },
    });
    expect(error.code).toBe(grpc.status.UNAVAILABLE);
  });

  it("a certificate from another CA is rejected at the handshake", async () => {
    const handshake = await tlsHandshake(probe.port, {
      caFile: certs.caFile,
      certFile: foreign.certFile("gateway"),
      keyFile: foreign.keyFile("gateway"),
    });
    expect(handshake.outcome).toBe("rejected");
    expect(handshake).toMatchObject({ reason: expect.stringMatching(/UNKNOWN_CA|closed/) });
    const error = await callFailure(probe.port, {
      credentials: grpc.credentials.createSsl(
        readFileSync(certs.caFile),
        readFileSync(foreign.keyFile("gateway")),
        readFileSync(foreign.certFile("gateway")),
      ),
      channelOptions: { "grpc.ssl_target_name_override": "user-service" },
    });
    expect(error.code).toBe(grpc.status.UNAVAILABLE);
  });

  it("a plaintext client is refused: the server only speaks TLS", async () => {
    const error = await callFailure(probe.port, {
      credentials: grpc.credentials.createInsecure(),
      channelOptions: {},
    });
    expect(error.code).toBe(grpc.status.UNAVAILABLE);
  });

  it("a client refuses a server whose certificate names another workload", async () => {
    const gateway = identityOf("gateway");
    const error = await callFailure(probe.port, gateway.clientTransport("order-service"));
    expect(error.code).toBe(grpc.status.UNAVAILABLE);
  });

  it("a client refuses a server whose certificate comes from another CA", async () => {
    const foreignServer = createWorkloadIdentity(foreign.configFor("user-service"), {
      workload: "user-service",
      logger: logs.logger,
    });
    clients.push(foreignServer);
    const impostor = await startIdentityProbeServer(foreignServer);
    try {
      const error = await callFailure(
        impostor.port,
        identityOf("gateway").clientTransport("user-service"),
      );
      expect(error.code).toBe(grpc.status.UNAVAILABLE);
    } finally {
      await impostor.close();
    }
  });

  it("ignores l5d-client-id outside mesh mode: the certificate decides who called", async () => {
    const devstack = identityOf("devstack");
    const forged = new grpc.Metadata();
    forged.set("l5d-client-id", linkerdIdentityOf("gateway"));
    expect(await callerSeenBy(probe.port, devstack.clientTransport("user-service"), forged)).toBe(
      "devstack",
    );
  });

  it("never logs key material", () => {
    const keys = ["user-service", "gateway", "devstack"].map((workload) =>
      readFileSync(certs.keyFile(workload), "utf8"),
    );
    const output = logs.lines.join("");
    expect(output).toContain("workload identity: mTLS");
    expect(output).not.toContain("PRIVATE KEY");
    for (const key of keys) {
      const body = key.split("\n")[1] as string;
      expect(output).not.toContain(body);
    }
  });
});

// The caller of a gRPC call is read from the peer certificate once per connection, not once per
// call (getPeerCertificate() costs ~115 µs a call), and never carried over to another connection.

/** node:tls marks the server end of a connection (not in its types). */
type ServerSide = { _tlsOptions?: { isServer?: boolean } };

/** A client of the probe on a channel of its own (one connection), as `workload`. */
function channelAs(workload: string) {
  const transport = identityOf(workload).clientTransport("user-service");
  const client = new UserServiceClient(`127.0.0.1:${probe.port}`, transport.credentials, {
    ...transport.channelOptions,
    // A channel of its own: grpc-js would otherwise share one connection between clients.
    "grpc.use_local_subchannel_pool": 1,
  });
  const callerSeen = async () =>
    (await callUnary(client.getUser.bind(client), { userId: "probe" }))?.user?.givenName;
  return { callerSeen, close: () => client.close() };
}

describe("the caller's workload, per connection", () => {
  it("five calls on one connection read the peer certificate once; a second connection as another workload is identified as that one", async () => {
    const reads = vi.spyOn(TLSSocket.prototype, "getPeerCertificate");
    // The server's reads only: a client checks the server's certificate too.
    const serverReads = () =>
      reads.mock.contexts.filter((socket) => (socket as ServerSide)._tlsOptions?.isServer).length;
    const gateway = channelAs("gateway");
    const orders = channelAs("order-service");
    try {
      for (let call = 0; call < 5; call++) expect(await gateway.callerSeen()).toBe("gateway");
      expect(serverReads()).toBe(1);
      for (let call = 0; call < 5; call++) expect(await orders.callerSeen()).toBe("order-service");
      expect(serverReads()).toBe(2);
      // ... and the first connection is still the gateway's.
      expect(await gateway.callerSeen()).toBe("gateway");
      expect(serverReads()).toBe(2);
    } finally {
      gateway.close();
      orders.close();
      reads.mockRestore();
    }
  });
});
