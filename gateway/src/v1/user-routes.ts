import type { ServiceImpl } from "@connectrpc/connect";
import type { UserService } from "@switchyard/contracts/connect/switchyard/edge/v1/user_service_pb";
import type { UserServiceClient } from "@switchyard/contracts/grpc/switchyard/user/v1/user_service";
import { getUserThroughEdge } from "../edge-cache/get-user.js";
import type { UserEdgeCache } from "../edge-cache/user-edge-cache.js";
import { callService, required } from "../upstream-call.js";
import { splitFullName, toV1User, v1UserField } from "./user-mapping.js";

const options = { renameField: v1UserField };

/** switchyard.edge.v1.UserService, served by switchyard.user.v1.UserService. */
export function v1UserRoutes(
  users: UserServiceClient,
  edgeCache: UserEdgeCache,
): ServiceImpl<typeof UserService> {
  return {
    async registerUser(request, context) {
      const { user } = await callService(
        users.registerUser.bind(users),
        { email: request.email, ...splitFullName(request.fullName) },
        context,
        options,
      );
      return { user: toV1User(required(user, "user")) };
    },

    async getUser(request, context) {
      const user = await getUserThroughEdge(users, edgeCache, request.userId, context, options);
      return { user: toV1User(user) };
    },

    async updateUser(request, context) {
      const { user } = await callService(
        users.updateUser.bind(users),
        {
          userId: request.userId,
          ...splitFullName(request.fullName),
          expectedVersion: request.version,
        },
        context,
        options,
      );
      const updated = required(user, "user");
      // This replica serves the change at once (the others when the UserUpdated event comes).
      await edgeCache.changed(updated.userId, updated.version);
      return { user: toV1User(updated) };
    },
  };
}
