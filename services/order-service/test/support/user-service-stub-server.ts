import { randomUUID } from "node:crypto";
import * as grpc from "@grpc/grpc-js";
import {
  type User,
  UserServiceService,
  UserStatus,
} from "@switchyard/contracts/grpc/switchyard/user/v1/user_service";

export interface UserServiceStub {
  /** gRPC target of the stub, e.g. "127.0.0.1:40123". */
  target: string;
  activeUserId: string;
  suspendedUserId: string;
  /** Every GetUser answers only after this many ms (0: at once); to blow the caller's deadline. */
  delayMs: number;
  /** How many GetUser calls arrived. */
  getUserCalls: number;
  addUser(status: UserStatus): string;
  /** Changes a user's status (e.g. suspends them), as user-service would. */
  setStatus(userId: string, status: UserStatus): void;
  stop(): Promise<void>;
}

/**
 * A REAL grpc-js server implementing switchyard.user.v1.UserService from the generated
 * contract, with a small in-memory user table: a peer whose answers and delays a test controls
 * (the real user-service runs in the end-to-end tests). Only GetUser is implemented.
 */
export async function startUserServiceStub(
  /** The stub's transport: user-service's test identity (mTLS), or plaintext on purpose. */
  credentials: grpc.ServerCredentials,
): Promise<UserServiceStub> {
  const users = new Map<string, User>();
  const server = new grpc.Server();
  const unimplemented = (_call: unknown, callback: grpc.sendUnaryData<never>) =>
    callback({ code: grpc.status.UNIMPLEMENTED, details: "not in the stub" });

  const stub: UserServiceStub = {
    target: "",
    activeUserId: "",
    suspendedUserId: "",
    delayMs: 0,
    getUserCalls: 0,
    addUser(status) {
      const userId = randomUUID();
      const now = { seconds: BigInt(Math.floor(Date.now() / 1000)), nanos: 0 };
      users.set(userId, {
        userId,
        email: `${userId}@example.test`,
        givenName: "Ada",
        familyName: "Lovelace",
        status,
        version: 1n,
        createTime: now,
        updateTime: now,
      });
      return userId;
    },
    setStatus(userId, status) {
      const user = users.get(userId);
      if (user === undefined) throw new Error(`the stub has no user ${userId}`);
      users.set(userId, { ...user, status });
    },
    async stop() {
      server.forceShutdown();
    },
  };

  server.addService(UserServiceService, {
    getUser(
      call: grpc.ServerUnaryCall<{ userId: string }, unknown>,
      callback: grpc.sendUnaryData<unknown>,
    ) {
      stub.getUserCalls += 1;
      const answer = () => {
        const user = users.get(call.request.userId);
        if (user === undefined) {
          callback({
            code: grpc.status.NOT_FOUND,
            details: `user ${call.request.userId} not found`,
          });
        } else {
          callback(null, { user });
        }
      };
      if (stub.delayMs > 0) setTimeout(answer, stub.delayMs);
      else answer();
    },
    registerUser: unimplemented,
    updateUser: unimplemented,
    listUsers: unimplemented,
    suspendUser: unimplemented,
  });

  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", credentials, (error, bound) =>
      error ? reject(error) : resolve(bound),
    ),
  );
  stub.target = `127.0.0.1:${port}`;
  stub.activeUserId = stub.addUser(UserStatus.USER_STATUS_ACTIVE);
  stub.suspendedUserId = stub.addUser(UserStatus.USER_STATUS_SUSPENDED);
  return stub;
}
