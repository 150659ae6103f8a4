import { TLSSocket } from "node:tls";
import { UserServiceClient } from "@switchyard/contracts/grpc/switchyard/user/v1/user_service";
import { callUnary } from "@switchyard/grpc-kit";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createWorkloadIdentity, type WorkloadIdentity } from "../src/index.js";
import { createTestCertificates, type TestCertificates } from "../src/testing.js";
import { memoryLogger, startIdentityProbeServer } from "./support/identity-probe-server.js";

// The caller of a gRPC call is read from the peer certificate once per connection, not once per
// call (getPeerCertificate() costs ~115 µs a call), and never carried over to another connection.

let certs: TestCertificates;
let probe: { port: number; close(): Promise<void> };
const identities: WorkloadIdentity[] = [];
const logs = memoryLogger();

function identityOf(workload: string): WorkloadIdentity {
  const identity = createWorkloadIdentity(certs.configFor(workload), {
    workload,
    logger: logs.logger,
  });
  identities.push(identity);
  return identity;
}

beforeAll(async () => {
  certs = createTestCertificates();
  probe = await startIdentityProbeServer(identityOf("user-service"));
});

afterAll(async () => {
  await probe?.close();
  for (const identity of identities) identity.close();
  certs?.remove();
});

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
