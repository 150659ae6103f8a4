import type { UserServiceServer } from "@switchyard/contracts/grpc/switchyard/user/v1/user_service";
import { unary } from "@switchyard/grpc-kit";
import { getUser } from "../application/get-user.js";
import { listUsers } from "../application/list-users.js";
import { registerUser } from "../application/register-user.js";
import { suspendUser } from "../application/suspend-user.js";
import { updateUser } from "../application/update-user.js";
import type { UserUseCaseDependencies } from "../application/user-use-case-dependencies.js";
import { encodePageToken } from "../domain/page-token.js";
import { toUserMessage } from "./user-message.js";

/** Fully-qualified gRPC service name, as reported by health and reflection. */
export const userServiceName = "switchyard.user.v1.UserService";

/**
 * switchyard.user.v1.UserService over grpc-js: each method hands the decoded request and the
 * call's invocation to its use case (application/) and encodes what it returns. No rules here.
 */
export function createUserServiceHandlers(
  dependencies: UserUseCaseDependencies,
): UserServiceServer {
  return {
    registerUser: unary((request, context) => registerUser(dependencies, request, context)),
    getUser: unary(async (request, context) => ({
      user: toUserMessage(await getUser(dependencies, request, context)),
    })),
    updateUser: unary(async (request, context) => ({
      user: toUserMessage(await updateUser(dependencies, request, context)),
    })),
    listUsers: unary(async (request, context) => {
      const page = await listUsers(dependencies, request, context);
      return {
        users: page.users.map(toUserMessage),
        nextPageToken: page.next === undefined ? "" : encodePageToken(page.next),
      };
    }),
    suspendUser: unary(async (request, context) => ({
      user: toUserMessage(await suspendUser(dependencies, request, context)),
    })),
  };
}
