import * as grpc from "@grpc/grpc-js";
import { UserServiceClient } from "@switchyard/contracts/grpc/switchyard/user/v1/user_service";
import { runWithRequestContext } from "@switchyard/logging";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callUnary, createGrpcClient, domainErrorFromGrpc } from "../src/index.js";
import { plaintextClient } from "./support/plaintext.js";
import { startTestServer, type TestServer } from "./support/test-server.js";

let server: TestServer;
let client: UserServiceClient;

beforeAll(async () => {
  server = await startTestServer();
  client = createGrpcClient(UserServiceClient, {
    target: server.address,
    credentials: plaintextClient(),
    defaultDeadlineMs: 200,
  });
});

afterAll(async () => {
  client?.close();
  await server?.close();
});

describe("createGrpcClient", () => {
  it("gives a call without a deadline the default one: a slow handler ends in DEADLINE_EXCEEDED", async () => {
    const startedAt = Date.now();
    const failure = await callUnary(client.getUser.bind(client), { userId: "slow-1500" }).catch(
      (error: grpc.ServiceError) => error,
    );

    expect((failure as grpc.ServiceError).code).toBe(grpc.status.DEADLINE_EXCEEDED);
    expect(Date.now() - startedAt).toBeLessThan(1000);
    expect(domainErrorFromGrpc(failure).kind).toBe("unavailable");
  });

  it("keeps a deadline the caller set", async () => {
    const response = await callUnary(
      client.getUser.bind(client),
      { userId: "slow-400" },
      { deadlineMs: 3000 },
    );

    expect(response.user?.userId).toBe("slow-400");
  });

  it("answers calls within the default deadline", async () => {
    const response = await callUnary(client.getUser.bind(client), { userId: "u-1" });

    expect(response.user?.userId).toBe("u-1");
  });

  it("forwards the current request id to the server as x-request-id", async () => {
    const response = await runWithRequestContext({ requestId: "upstream-42" }, () =>
      callUnary(client.getUser.bind(client), { userId: "whoami" }),
    );

    expect(response.user?.userId).toBe("upstream-42");
  });

  it("balances calls round-robin over every address the target resolves to", async () => {
    const replicaA = await startTestServer({ serverName: "replica-a" });
    const replicaB = await startTestServer({ serverName: "replica-b" });
    const balanced = createGrpcClient(UserServiceClient, {
      target: `ipv4:${replicaA.address},${replicaB.address}`,
      credentials: plaintextClient(),
    });
    try {
      const answeredBy: string[] = [];
      for (let i = 0; i < 6; i += 1) {
        const response = await callUnary(balanced.getUser.bind(balanced), { userId: `u-${i}` });
        answeredBy.push(response.user?.givenName ?? "");
      }
      // pick_first (grpc-js's default) would send all six to one replica. The very first calls
      // may all land on whichever connection was ready first, so only ask for both to serve.
      expect(answeredBy.filter((name) => name === "replica-a").length).toBeGreaterThanOrEqual(2);
      expect(answeredBy.filter((name) => name === "replica-b").length).toBeGreaterThanOrEqual(2);
    } finally {
      balanced.close();
      await Promise.all([replicaA.close(), replicaB.close()]);
    }
  });
});
