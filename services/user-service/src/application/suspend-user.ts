import { requireAdmin } from "@switchyard/access-policy";
import type { SuspendUserRequest } from "@switchyard/contracts/grpc/switchyard/user/v1/user_service";
import { traceparentOrNew, userSuspended } from "@switchyard/events";
import { appendToOutbox } from "@switchyard/outbox";
import type { User } from "../domain/user.js";
import { validateSuspension } from "../domain/user-validation.js";
import { userSuspendedEvent } from "../events/user-events.js";
import { createUserRepository } from "../persistence/user-repository.js";
import type { Invocation, UserUseCaseDependencies } from "./user-use-case-dependencies.js";

/** Suspends an active user (back office), with UserSuspended in the same transaction. */
export async function suspendUser(
  dependencies: UserUseCaseDependencies,
  request: SuspendUserRequest,
  invocation: Invocation,
): Promise<User> {
  const { db, clock } = dependencies;
  const suspension = validateSuspension(request);
  requireAdmin(invocation.endUser, `suspend user ${suspension.userId}`);
  const changed = await db.transaction(async (tx) => {
    const suspended = await createUserRepository(tx).suspend({ ...suspension, now: clock.now() });
    await appendToOutbox(tx, userSuspended, userSuspendedEvent(suspended), {
      aggregateId: suspended.userId,
      traceparent: traceparentOrNew(invocation.traceparent),
    });
    return suspended;
  });
  // Committed: this replica drops its copy now; the event does it on every other replica.
  await dependencies.userCache.invalidate(changed.userId, changed.version);
  return changed;
}
