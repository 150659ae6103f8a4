import * as grpc from "@grpc/grpc-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createWorkloadIdentity, linkerdIdentityOf, type WorkloadIdentity } from "../src/index.js";
import {
  callerSeenBy,
  memoryLogger,
  startIdentityProbeServer,
} from "./support/identity-probe-server.js";

const { logger } = memoryLogger();
let server: WorkloadIdentity;
let probe: { port: number; close(): Promise<void> };

function withClientId(...values: string[]): grpc.Metadata {
  const metadata = new grpc.Metadata();
  for (const value of values) metadata.add("l5d-client-id", value);
  return metadata;
}

beforeAll(async () => {
  server = createWorkloadIdentity(
    { MESH_MODE: "linkerd", TLS_RELOAD_INTERVAL_MS: 60_000 },
    { workload: "user-service", logger },
  );
  probe = await startIdentityProbeServer(server);
});

afterAll(async () => {
  await probe?.close();
  server?.close();
});

describe("behind Linkerd (MESH_MODE=linkerd)", () => {
  const client = () =>
    createWorkloadIdentity(
      { MESH_MODE: "linkerd", TLS_RELOAD_INTERVAL_MS: 60_000 },
      { workload: "gateway", logger },
    ).clientTransport("user-service");

  it("accepts plaintext gRPC and takes the caller from l5d-client-id", async () => {
    expect(client().credentials._isSecure()).toBe(false);
    const metadata = withClientId(linkerdIdentityOf("gateway"));
    expect(await callerSeenBy(probe.port, client(), metadata)).toBe("gateway");
  });

  it("has no caller without l5d-client-id, for another namespace, or with several values", async () => {
    expect(await callerSeenBy(probe.port, client())).toBe("nobody");
    const otherNamespace = withClientId(
      "gateway.default.serviceaccount.identity.linkerd.cluster.local",
    );
    expect(await callerSeenBy(probe.port, client(), otherNamespace)).toBe("nobody");
    const twice = withClientId(linkerdIdentityOf("gateway"), linkerdIdentityOf("web-bff"));
    expect(await callerSeenBy(probe.port, client(), twice)).toBe("nobody");
  });
});
