import type * as grpc from "@grpc/grpc-js";
import { requireAdmin, requireOwnership } from "@switchyard/access-policy";
import {
  RegisterUserRequest,
  RegisterUserResponse,
  type UserServiceServer,
  UserServiceService,
} from "@switchyard/contracts/grpc/switchyard/user/v1/user_service";
import { traceparentOrNew, userRegistered, userSuspended, userUpdated } from "@switchyard/events";
import { createGrpcServer, type GrpcServer, requesterOf, unary } from "@switchyard/grpc-kit";
import { runIdempotent } from "@switchyard/idempotency";
import type { HealthRegistry } from "@switchyard/lifecycle";
import type { Logger } from "@switchyard/logging";
import { appendToOutbox } from "@switchyard/outbox";
import type { PostgresJsDatabase } from "drizzle-orm/postgres-js";
import type { Clock } from "./domain/clock.js";
import { encodePageToken } from "./domain/page-token.js";
import { newUserId } from "./domain/user-id.js";
import {
  validateListQuery,
  validateProfileUpdate,
  validateRegistration,
  validateSuspension,
  validateUserId,
} from "./domain/user-validation.js";
import { createUserRepository } from "./persistence/user-repository.js";
import { userRegisteredEvent, userSuspendedEvent, userUpdatedEvent } from "./user-events.js";
import { toUserMessage } from "./user-message.js";

/** Fully-qualified gRPC service name, as reported by health and reflection. */
export const userServiceName = "switchyard.user.v1.UserService";

export interface UserServiceDependencies {
  db: PostgresJsDatabase;
  clock: Clock;
  /** How long a RegisterUser idempotency key replays its first response. */
  idempotencyTtlMs: number;
}

/** The grpc-js implementation of switchyard.user.v1.UserService. */
export function createUserServiceImplementation(
  dependencies: UserServiceDependencies,
): UserServiceServer {
  const { db, clock, idempotencyTtlMs } = dependencies;
  const users = createUserRepository(db);

  return {
    registerUser: unary(async (request: RegisterUserRequest, context) => {
      const registration = validateRegistration(request);
      const command = {
        caller: requesterOf(context),
        key: context.idempotencyKey,
        operation: `${userServiceName}/RegisterUser`,
        request,
        requestCodec: RegisterUserRequest,
        responseCodec: RegisterUserResponse,
        ttlMs: idempotencyTtlMs,
      };
      return runIdempotent(db, command, async (tx) => {
        const now = clock.now();
        const user = await createUserRepository(tx).insert({
          userId: newUserId(),
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
          traceparent: traceparentOrNew(context.traceparent),
        });
        return { user: toUserMessage(user) };
      });
    }),

    getUser: unary(async (request, context) => {
      const userId = validateUserId(request.userId);
      // The id IS the owner: checked before the lookup, so other ids reveal nothing (AIP-211).
      requireOwnership(context.endUser, userId, "read", `read user ${userId}`);
      const user = await users.get(userId);
      return { user: toUserMessage(user) };
    }),

    updateUser: unary(async (request, context) => {
      const update = validateProfileUpdate(request);
      requireOwnership(context.endUser, update.userId, "write", `update user ${update.userId}`);
      const user = await db.transaction(async (tx) => {
        const updated = await createUserRepository(tx).updateProfile({
          ...update,
          now: clock.now(),
        });
        await appendToOutbox(tx, userUpdated, userUpdatedEvent(updated), {
          aggregateId: updated.userId,
          traceparent: traceparentOrNew(context.traceparent),
        });
        return updated;
      });
      return { user: toUserMessage(user) };
    }),

    listUsers: unary(async (request, context) => {
      const query = validateListQuery(request);
      requireAdmin(context.endUser, "list users");
      const page = await users.listPage(query);
      return {
        users: page.users.map(toUserMessage),
        nextPageToken: page.next === undefined ? "" : encodePageToken(page.next),
      };
    }),

    suspendUser: unary(async (request, context) => {
      const suspension = validateSuspension(request);
      requireAdmin(context.endUser, `suspend user ${suspension.userId}`);
      const user = await db.transaction(async (tx) => {
        const suspended = await createUserRepository(tx).suspend({
          ...suspension,
          now: clock.now(),
        });
        await appendToOutbox(tx, userSuspended, userSuspendedEvent(suspended), {
          aggregateId: suspended.userId,
          traceparent: traceparentOrNew(context.traceparent),
        });
        return suspended;
      });
      return { user: toUserMessage(user) };
    }),
  };
}

/**
 * The user-service gRPC server (health, reflection, UserService), not yet listening: main.ts
 * and the tests build it the same way.
 */
export function createUserServiceGrpcServer(
  options: UserServiceDependencies & {
    logger: Logger;
    health: HealthRegistry;
    /** main.ts passes the authorization interceptor; in-process tests may pass none. */
    interceptors?: grpc.ServerInterceptor[];
  },
): GrpcServer {
  const server = createGrpcServer({
    logger: options.logger,
    health: options.health,
    serviceNames: [userServiceName],
    interceptors: options.interceptors ?? [],
  });
  server.addService(UserServiceService, createUserServiceImplementation(options));
  return server;
}
