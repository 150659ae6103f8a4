import { requireOwnership } from "@switchyard/access-policy";
import { notFound } from "@switchyard/errors";
import type { User } from "../domain/user.js";
import { validateUserId } from "../domain/user-validation.js";
import type { Invocation, UserUseCaseDependencies } from "./user-use-case-dependencies.js";

/**
 * One user, for its owner (or an admin, or an internal caller), through the users cache
 * (a cached "not found" too). The ownership check runs before the cache is asked.
 */
export async function getUser(
  dependencies: UserUseCaseDependencies,
  request: { userId: string },
  invocation: Invocation,
): Promise<User> {
  const userId = validateUserId(request.userId);
  // The id IS the owner: checked before the lookup, so other ids reveal nothing (AIP-211).
  requireOwnership(invocation.endUser, userId, "read", `read user ${userId}`);
  const user = await dependencies.userCache.get(userId);
  if (user === undefined) throw notFound(`user ${userId} not found`);
  return user;
}
