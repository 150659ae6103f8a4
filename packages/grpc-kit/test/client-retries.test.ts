import * as grpc from "@grpc/grpc-js";
import {
  type User,
  UserServiceClient,
  type UserServiceServer,
  UserServiceService,
  UserStatus,
} from "@switchyard/contracts/grpc/switchyard/user/v1/user_service";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callUnary, createGrpcClient, methodsSafeToRetry } from "../src/index.js";
import { plaintextClient, plaintextServer } from "./support/plaintext.js";
import { startTestServer, type TestServer } from "./support/test-server.js";

/** Calls per "<method>:<id>"; the first attempt of every id answers `firstAnswer`. */
const attempts = new Map<string, number>();
let server: grpc.Server;
let target: string;

function user(userId: string): User {
  return {
    userId,
    email: "retry@example.com",
    givenName: "Retry",
    familyName: "Test",
    status: UserStatus.USER_STATUS_ACTIVE,
    version: 1n,
  };
}

/** Fails the first attempt of each id with the status the id names ("unavailable-…", "internal-…"). */
function failingFirst(method: string, idOf: (request: never) => string) {
  return (
    call: grpc.ServerUnaryCall<never, unknown>,
    callback: grpc.sendUnaryData<{ user: User }>,
  ) => {
    const id = idOf(call.request);
    const key = `${method}:${id}`;
    const attempt = (attempts.get(key) ?? 0) + 1;
    attempts.set(key, attempt);
    if (attempt === 1 && id.startsWith("unavailable")) {
      callback({ code: grpc.status.UNAVAILABLE, details: "replica draining" });
    } else if (attempt === 1 && id.startsWith("internal")) {
      callback({ code: grpc.status.INTERNAL, details: "bug" });
    } else callback(null, { user: user(id) });
  };
}

beforeAll(async () => {
  server = new grpc.Server();
  server.addService(UserServiceService, {
    getUser: failingFirst("GetUser", (request: { userId: string }) => request.userId),
    registerUser: failingFirst("RegisterUser", (request: { email: string }) => request.email),
    updateUser: failingFirst("UpdateUser", (request: { userId: string }) => request.userId),
  } as unknown as UserServiceServer);
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", plaintextServer(), (error, bound) =>
      error ? reject(error) : resolve(bound),
    ),
  );
  target = `127.0.0.1:${port}`;
});

afterAll(() => server?.forceShutdown());

const keyed = (key: string) => {
  const metadata = new grpc.Metadata();
  metadata.set("idempotency-key", key);
  return { metadata };
};

describe("client retries", () => {
  it("takes the reads from the proto: NO_SIDE_EFFECTS methods only", () => {
    expect(methodsSafeToRetry("switchyard.user.v1.UserService").sort()).toEqual([
      "GetUser",
      "ListUsers",
    ]);
    expect(methodsSafeToRetry("switchyard.order.v1.OrderService").sort()).toEqual([
      "GetCustomerOrderSummary",
      "GetOrder",
      "ListOrders",
    ]);
  });

  it("retries a read that answered UNAVAILABLE, and nothing else", async () => {
    const client = createGrpcClient(UserServiceClient, { target, credentials: plaintextClient() });
    try {
      const read = await callUnary(client.getUser.bind(client), { userId: "unavailable-1" });
      expect(read.user?.userId).toBe("unavailable-1");
      expect(attempts.get("GetUser:unavailable-1")).toBe(2);

      const internal = await callUnary(client.getUser.bind(client), {
        userId: "internal-1",
      }).catch((error: grpc.ServiceError) => error);
      expect((internal as grpc.ServiceError).code).toBe(grpc.status.INTERNAL);
      expect(attempts.get("GetUser:internal-1")).toBe(1);

      const write = await callUnary(client.updateUser.bind(client), {
        userId: "unavailable-2",
        expectedVersion: 1n,
      } as never).catch((error: grpc.ServiceError) => error);
      expect((write as grpc.ServiceError).code).toBe(grpc.status.UNAVAILABLE);
      expect(attempts.get("UpdateUser:unavailable-2")).toBe(1);
    } finally {
      client.close();
    }
  });

  it("retries a declared keyed write that carries its key; refuses one without a key before sending", async () => {
    const client = createGrpcClient(UserServiceClient, {
      target,
      credentials: plaintextClient(),
      retriedWritesWithKey: ["RegisterUser"],
    });
    try {
      const request = { email: "unavailable-3", givenName: "A", familyName: "B" };
      const withKey = await callUnary(client.registerUser.bind(client), request, keyed("k-3"));
      expect(withKey.user?.userId).toBe("unavailable-3");
      expect(attempts.get("RegisterUser:unavailable-3")).toBe(2);

      const keyless = await callUnary(client.registerUser.bind(client), {
        ...request,
        email: "unavailable-4",
      }).catch((error: grpc.ServiceError) => error);
      expect((keyless as grpc.ServiceError).code).toBe(grpc.status.INVALID_ARGUMENT);
      expect((keyless as grpc.ServiceError).details).toMatch(/idempotency-key/);
      expect(attempts.get("RegisterUser:unavailable-4")).toBeUndefined();
    } finally {
      client.close();
    }
  });
});

describe("round_robin over several addresses", () => {
  let replicas: TestServer[] = [];
  beforeAll(async () => {
    replicas = [
      await startTestServer({ serverName: "replica-a" }),
      await startTestServer({ serverName: "replica-b" }),
    ];
  });
  afterAll(async () => {
    for (const replica of replicas) await replica.close();
  });

  it("an ipv4: target with two addresses spreads calls over both replicas", async () => {
    const client = createGrpcClient(UserServiceClient, {
      target: `ipv4:${replicas.map((replica) => replica.address).join(",")}`,
      credentials: plaintextClient(),
    });
    try {
      const answeredBy = new Set<string>();
      for (let call = 0; call < 20; call++) {
        const { user: answer } = await callUnary(client.getUser.bind(client), { userId: "u-1" });
        answeredBy.add(answer?.givenName ?? "");
      }
      expect([...answeredBy].sort()).toEqual(["replica-a", "replica-b"]);
    } finally {
      client.close();
    }
  });
});
