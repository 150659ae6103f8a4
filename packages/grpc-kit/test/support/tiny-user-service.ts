import {
  type User,
  type UserServiceServer,
  UserStatus,
} from "@switchyard/contracts/grpc/switchyard/user/v1/user_service";
import { failedPrecondition, invalidArgument, notFound } from "@switchyard/errors";
import { currentRequestId } from "@switchyard/logging";
import { unary } from "../../src/index.js";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function user(userId: string, email = "ada@example.com", givenName = "Ada"): User {
  return {
    userId,
    email,
    givenName,
    familyName: "Lovelace",
    status: UserStatus.USER_STATUS_ACTIVE,
    version: 1n,
  };
}

/**
 * A tiny UserService whose GetUser behaviour is chosen by the user id:
 * "invalid" → invalid argument on user_id, "missing" → not found, "crash" → a plain Error with a
 * secret in its text, "slow-<ms>" → answers after <ms>, "whoami" → echoes the request id (email
 * = the logging context's id, userId = the CallContext's id), anything else → a user whose
 * given name is `serverName` (to tell replicas apart).
 */
export function createTinyUserService(serverName = "Ada"): UserServiceServer {
  const unsupported = unary(async () => {
    throw failedPrecondition("not part of the tiny user service");
  });
  return {
    getUser: unary(async (request: { userId: string }, context) => {
      const { userId } = request;
      if (userId === "invalid") {
        throw invalidArgument([{ field: "user_id", description: "must be a UUID" }]);
      }
      if (userId === "missing") throw notFound("user missing was not found");
      if (userId === "crash") throw new Error("db password=hunter2");
      if (userId.startsWith("slow-")) {
        await sleep(Number(userId.slice("slow-".length)));
        return { user: user(userId) };
      }
      if (userId === "whoami") {
        return { user: user(context.requestId, currentRequestId() ?? "no request context") };
      }
      return { user: user(userId, "ada@example.com", serverName) };
    }),
    registerUser: unsupported,
    updateUser: unsupported,
    listUsers: unsupported,
    suspendUser: unsupported,
  };
}
