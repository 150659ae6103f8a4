import * as grpc from "@grpc/grpc-js";
import {
  UserServiceClient,
  UserServiceService,
} from "@switchyard/contracts/grpc/switchyard/user/v1/user_service";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callUpstream } from "../src/index.js";

// A real grpc-js server whose GetUser never answers, and that records cancellations.
let server: grpc.Server;
let client: UserServiceClient;
const cancelled: string[] = [];
const started: string[] = [];

beforeAll(async () => {
  server = new grpc.Server();
  const never = (call: grpc.ServerUnaryCall<{ userId: string }, unknown>) => {
    started.push(call.request.userId);
    call.on("cancelled", () => cancelled.push(call.request.userId));
  };
  server.addService(UserServiceService, {
    getUser: never,
  } as unknown as grpc.UntypedServiceImplementation);
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (error, bound) =>
      error ? reject(error) : resolve(bound),
    ),
  );
  client = new UserServiceClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
});
afterAll(() => {
  client?.close();
  server?.forceShutdown();
});

async function eventually(condition: () => boolean): Promise<void> {
  for (let attempt = 0; attempt < 100 && !condition(); attempt += 1) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe("callUpstream", () => {
  it("cancels the upstream call when the client goes away, answering `canceled`", async () => {
    const clientGone = new AbortController();
    const call = callUpstream(
      client.getUser.bind(client),
      { userId: "gone" },
      {
        signal: clientGone.signal,
      },
    );
    await eventually(() => started.includes("gone"));
    clientGone.abort();
    await expect(call).rejects.toMatchObject({ code: 1, rawMessage: "cancelled" });
    await eventually(() => cancelled.includes("gone"));
    expect(cancelled).toContain("gone");
  });

  it("does not start a call whose signal has already aborted", async () => {
    const aborted = AbortSignal.abort();
    await expect(
      callUpstream(client.getUser.bind(client), { userId: "never-sent" }, { signal: aborted }),
    ).rejects.toMatchObject({ code: 1 });
    expect(started).not.toContain("never-sent");
  });

  it("passes the deadline on: the upstream's DEADLINE_EXCEEDED comes back as the ServiceError", async () => {
    const call = callUpstream(
      client.getUser.bind(client),
      { userId: "slow" },
      {
        deadline: Date.now() + 100,
      },
    );
    await expect(call).rejects.toMatchObject({ code: grpc.status.DEADLINE_EXCEEDED });
  });
});
