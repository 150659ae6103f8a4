import {
  RegisterUserRequest,
  RegisterUserResponse,
} from "@switchyard/contracts/grpc/switchyard/user/v1/user_service";
import { traceparentOrNew, userRegistered } from "@switchyard/events";
import { requesterOf } from "@switchyard/grpc-kit";
import { runIdempotent } from "@switchyard/idempotency";
import { appendToOutbox } from "@switchyard/outbox";
import { validateRegistration } from "../domain/user-validation.js";
import { userRegisteredEvent } from "../events/user-events.js";
import { toUserMessage } from "../grpc/user-message.js";
import { createUserRepository } from "../persistence/user-repository.js";
import type { Invocation, UserUseCaseDependencies } from "./user-use-case-dependencies.js";

const operation = "switchyard.user.v1.UserService/RegisterUser";

/**
 * Registers a user: validated, inserted with its UserRegistered event in one transaction, at
 * most once per idempotency key. It answers with the contract's response because that is what
 * a replayed key returns byte for byte (the stored response).
 */
export async function registerUser(
  dependencies: UserUseCaseDependencies,
  request: RegisterUserRequest,
  invocation: Invocation,
): Promise<RegisterUserResponse> {
  const { db, clock, idempotencyTtlMs } = dependencies;
  const registration = validateRegistration(request);
  const command = {
    caller: requesterOf(invocation),
    key: invocation.idempotencyKey,
    operation,
    request,
    requestCodec: RegisterUserRequest,
    responseCodec: RegisterUserResponse,
    ttlMs: idempotencyTtlMs,
  };
  const response = await runIdempotent(db, command, async (tx) => {
    const now = clock.now();
    const user = await createUserRepository(tx).insert({
      userId: dependencies.newUserId(),
      ...registration,
      status: "active",
      suspendReason: null,
      version: 1n,
      createTime: now,
      updateTime: now,
    });
    // Same transaction as the insert: the event exists exactly when the user does.
    await appendToOutbox(tx, userRegistered, userRegisteredEvent(user), {
      aggregateId: user.userId,
      traceparent: traceparentOrNew(invocation.traceparent),
    });
    return { user: toUserMessage(user) };
  });
  // Committed: a "not found" cached for this id (by this replica) ends now; UserRegistered
  // ends it on the others.
  if (response.user !== undefined) {
    await dependencies.userCache.invalidate(response.user.userId, response.user.version);
  }
  return response;
}
