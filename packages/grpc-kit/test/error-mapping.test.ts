import * as grpc from "@grpc/grpc-js";
import { BadRequest } from "@switchyard/contracts/grpc/google/rpc/error_details";
import { Status } from "@switchyard/contracts/grpc/google/rpc/status";
import {
  type GetUserResponse,
  UserServiceClient,
} from "@switchyard/contracts/grpc/switchyard/user/v1/user_service";
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
  });
});

afterAll(async () => {
  client?.close();
  await server?.close();
});

async function getUserError(userId: string, metadata?: grpc.Metadata): Promise<grpc.ServiceError> {
  try {
    await callUnary(client.getUser.bind(client), { userId }, { metadata });
  } catch (error) {
    return error as grpc.ServiceError;
  }
  throw new Error(`GetUser(${userId}) unexpectedly succeeded`);
}

function allMetadataText(metadata: grpc.Metadata): string {
  return Object.values(metadata.getMap())
    .map((value) => (Buffer.isBuffer(value) ? value.toString("latin1") : value))
    .join("\n");
}

describe("errors on the wire", () => {
  it("sends an invalid-argument domain error as INVALID_ARGUMENT with a BadRequest naming the field", async () => {
    const error = await getUserError("invalid");

    expect(error.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(error.details).toBe("user_id: must be a UUID");
    const [encoded] = error.metadata.get("grpc-status-details-bin");
    expect(Buffer.isBuffer(encoded)).toBe(true);
    const status = Status.decode(encoded as Buffer);
    expect(status.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(status.details[0]?.typeUrl).toBe("type.googleapis.com/google.rpc.BadRequest");
    const badRequest = BadRequest.decode(status.details[0]?.value ?? Buffer.alloc(0));
    expect(badRequest.fieldViolations).toEqual([
      expect.objectContaining({ field: "user_id", description: "must be a UUID" }),
    ]);
  });

  it("turns the peer's INVALID_ARGUMENT back into a DomainError with its field violations", async () => {
    const domainError = domainErrorFromGrpc(await getUserError("invalid"));

    expect(domainError.kind).toBe("invalid-argument");
    expect(domainError.message).toBe("user_id: must be a UUID");
    expect(domainError.fieldViolations).toEqual([
      { field: "user_id", description: "must be a UUID" },
    ]);
  });

  it("sends not-found as NOT_FOUND with the domain message", async () => {
    const error = await getUserError("missing");

    expect(error.code).toBe(grpc.status.NOT_FOUND);
    expect(error.details).toBe("user missing was not found");
    expect(domainErrorFromGrpc(error).kind).toBe("not-found");
  });

  it("sends a plain Error as INTERNAL 'internal error' and only logs its text", async () => {
    const error = await getUserError("crash");

    expect(error.code).toBe(grpc.status.INTERNAL);
    expect(error.details).toBe("internal error");
    expect(error.message).not.toContain("hunter2");
    expect(allMetadataText(error.metadata)).not.toContain("hunter2");
    const logged = server.logs.lines.find(
      (line) => line.msg === "handler failed; replied INTERNAL",
    );
    expect(JSON.stringify(logged)).toContain("db password=hunter2");
    expect(logged?.method).toBe("/switchyard.user.v1.UserService/GetUser");
  });

  it("maps a peer's INTERNAL to an unavailable dependency without repeating its text", async () => {
    const domainError = domainErrorFromGrpc(await getUserError("crash"));

    expect(domainError.kind).toBe("unavailable");
    expect(domainError.message).toBe("a dependency failed (INTERNAL)");
  });
});

describe("request ids", () => {
  it("uses the incoming x-request-id for the handler, its logs and the response trailer", async () => {
    const metadata = new grpc.Metadata();
    metadata.set("x-request-id", "req-123");
    let trailerRequestId: unknown;
    const response = await new Promise<GetUserResponse>((resolve, reject) => {
      const call = client.getUser({ userId: "whoami" }, metadata, {}, (error, value) =>
        error ? reject(error) : resolve(value),
      );
      call.on("status", (status) => {
        [trailerRequestId] = status.metadata.get("x-request-id");
      });
    });

    expect(response.user?.userId).toBe("req-123");
    expect(response.user?.email).toBe("req-123");
    await new Promise((resolve) => setImmediate(resolve));
    expect(trailerRequestId).toBe("req-123");
  });

  it("replaces a malformed x-request-id with a fresh UUID", async () => {
    const metadata = new grpc.Metadata();
    metadata.set("x-request-id", `has spaces {"and":"json"} ${"x".repeat(200)}`);
    const response = await callUnary(
      client.getUser.bind(client),
      { userId: "whoami" },
      { metadata },
    );

    expect(response.user?.userId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("puts the request id on every log line written while handling the call", async () => {
    const metadata = new grpc.Metadata();
    metadata.set("x-request-id", "req-logged");
    await getUserError("crash", metadata);

    const logged = server.logs.lines.find(
      (line) => line.msg === "handler failed; replied INTERNAL" && line.requestId === "req-logged",
    );
    expect(logged).toBeDefined();
  });
});

describe("server interceptors", () => {
  it("runs the interceptors given to createGrpcServer around every call", async () => {
    const seen: string[] = [];
    const recordMethod: grpc.ServerInterceptor = (method, call) => {
      seen.push(method.path);
      return new grpc.ServerInterceptingCall(call);
    };
    const intercepted = await startTestServer({ interceptors: [recordMethod] });
    const interceptedClient = createGrpcClient(UserServiceClient, {
      target: intercepted.address,
      credentials: plaintextClient(),
    });
    try {
      await callUnary(interceptedClient.getUser.bind(interceptedClient), { userId: "u-1" });
      expect(seen).toEqual(["/switchyard.user.v1.UserService/GetUser"]);
    } finally {
      interceptedClient.close();
      await intercepted.close();
    }
  });
});
