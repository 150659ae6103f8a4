import * as grpc from "@grpc/grpc-js";
import {
  type GetUserRequest,
  type GetUserResponse,
  UserServiceClient,
  UserServiceService,
  UserStatus,
} from "@switchyard/contracts/grpc/switchyard/user/v1/user_service";
import { callUnary } from "@switchyard/grpc-kit";
import { createLogger, type Logger } from "@switchyard/logging";
import type { ClientTransport, WorkloadIdentity } from "../../src/index.js";

/** A logger whose JSON lines stay in memory, so tests can read (and search) every line. */
export function memoryLogger(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const logger = createLogger({
    service: "workload-identity-test",
    level: "debug",
    destination: { write: (line: string) => lines.push(line) },
  });
  return { logger, lines };
}

/**
 * A real grpc-js server listening with `identity.serverCredentials()` on port 0, whose GetUser
 * answers with the caller as the identity sees it (givenName), or "nobody".
 */
export async function startIdentityProbeServer(
  identity: WorkloadIdentity,
): Promise<{ port: number; close(): Promise<void> }> {
  const server = new grpc.Server();
  const getUser: grpc.handleUnaryCall<GetUserRequest, GetUserResponse> = (call, callback) => {
    const caller = identity.callerOf(call, call.metadata) ?? "nobody";
    callback(null, {
      user: {
        userId: call.request.userId,
        email: "probe@example.com",
        givenName: caller,
        familyName: "",
        status: UserStatus.USER_STATUS_ACTIVE,
        version: 1n,
      },
    });
  };
  server.addService(UserServiceService, { getUser });
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", identity.serverCredentials(), (error, bound) =>
      error ? reject(error) : resolve(bound),
    ),
  );
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.forceShutdown();
        resolve();
      }),
  };
}

/** Calls the probe's GetUser over `transport` and returns who the server says called. */
export async function callerSeenBy(
  port: number,
  transport: ClientTransport,
  metadata = new grpc.Metadata(),
): Promise<string> {
  const client = new UserServiceClient(
    `127.0.0.1:${port}`,
    transport.credentials,
    transport.channelOptions,
  );
  try {
    const response = await callUnary(
      client.getUser.bind(client),
      { userId: "probe" },
      { metadata, deadlineMs: 3000 },
    );
    return response.user?.givenName ?? "";
  } finally {
    client.close();
  }
}

/** The error a call fails with (the test fails if it succeeds). */
export async function callFailure(
  port: number,
  transport: ClientTransport,
): Promise<grpc.ServiceError> {
  try {
    const caller = await callerSeenBy(port, transport);
    throw new Error(`expected the call to fail, but the server answered (caller ${caller})`);
  } catch (error) {
    if ((error as grpc.ServiceError).code === undefined) throw error;
    return error as grpc.ServiceError;
  }
}
