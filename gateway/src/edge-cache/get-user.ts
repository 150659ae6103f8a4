import type { HandlerContext } from "@connectrpc/connect";
import { callUpstream, toConnectError, upstreamCallOptions } from "@switchyard/connect-host";
import type {
  User,
  UserServiceClient,
} from "@switchyard/contracts/grpc/switchyard/user/v1/user_service";
import { endUserKey } from "@switchyard/end-user-auth";
import { required } from "../upstream-call.js";
import type { UserEdgeCache } from "./user-edge-cache.js";

/**
 * GetUser for v1 and v2 (the one upstream call both map from): from the edge tier when this
 * caller read this user before, else user-service's GetUser with the call's deadline,
 * cancellation and end user. Runs in the handler, so after authentication and admission (rate
 * limits, quota) like every call. Failures — a denial, not-found, user-service down — become
 * the route's client-safe ConnectError, and are never cached.
 */
export async function getUserThroughEdge(
  users: UserServiceClient,
  cache: UserEdgeCache,
  userId: string,
  context: HandlerContext,
  options: { renameField?: (field: string) => string },
): Promise<User> {
  // A shared load may outlive this call: other callers of the same key wait on it, and a stale
  // hit starts it in the background and answers at once. So it keeps the call's deadline and
  // end user but not its cancellation — Connect aborts `context.signal` as soon as this call's
  // answer is sent, which would cancel the reload every waiter shares. A load for this call
  // alone (tier off) is cancelled with it, as every upstream call.
  const load = async (shared: boolean) => {
    const options = upstreamCallOptions(context);
    const { user } = await callUpstream(
      users.getUser.bind(users),
      { userId },
      shared ? { ...options, signal: undefined } : options,
    );
    return required(user, "user");
  };
  try {
    return await cache.getUser(userId, context.values.get(endUserKey), load);
  } catch (error) {
    throw toConnectError(error, options);
  }
}
