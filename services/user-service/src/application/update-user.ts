import { requireOwnership } from "@switchyard/access-policy";
import type { UpdateUserRequest } from "@switchyard/contracts/grpc/switchyard/user/v1/user_service";
import { traceparentOrNew, userUpdated } from "@switchyard/events";
import { appendToOutbox } from "@switchyard/outbox";
import type { User } from "../domain/user.js";
import { validateProfileUpdate } from "../domain/user-validation.js";
import { userUpdatedEvent } from "../events/user-events.js";
import { createUserRepository } from "../persistence/user-repository.js";
import type { Invocation, UserUseCaseDependencies } from "./user-use-case-dependencies.js";

/** Changes a user's names (compare-and-set on its version), with UserUpdated in the same transaction. */
export async function updateUser(
  dependencies: UserUseCaseDependencies,
  request: UpdateUserRequest,
  invocation: Invocation,
): Promise<User> {
  const { db, clock } = dependencies;
  const update = validateProfileUpdate(request);
  requireOwnership(invocation.endUser, update.userId, "write", `update user ${update.userId}`);
  const changed = await db.transaction(async (tx) => {
    const updated = await createUserRepository(tx).updateProfile({ ...update, now: clock.now() });
    await appendToOutbox(tx, userUpdated, userUpdatedEvent(updated), {
      aggregateId: updated.userId,
      traceparent: traceparentOrNew(invocation.traceparent),
    });
    return updated;
  });
  // Committed: this replica drops its copy now; the event does it on every other replica.
  await dependencies.userCache.invalidate(changed.userId, changed.version);
  return changed;
}
