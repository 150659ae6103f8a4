import { fileURLToPath } from "node:url";
import { UserServiceService } from "@switchyard/contracts/grpc/switchyard/user/v1/user_service";
import { userEventsStream } from "@switchyard/events";
import { bindService, defineGrpcService, type GrpcServiceContext } from "@switchyard/service-host";
import { userCacheOf } from "./caching/user-cache.js";
import { type UserServiceConfig, userServiceConfigShape } from "./config.js";
import { newUserId } from "./domain/user-id.js";
import { createUserServiceHandlers } from "./grpc/user-service-handlers.js";
import { createUserRepository } from "./persistence/user-repository.js";

/** The committed drizzle migrations of the users database. */
export const migrationsFolder = fileURLToPath(new URL("../drizzle", import.meta.url));

/** Name of the users cache's event subscription in `RunningGrpcService.background`. */
export const userCacheInvalidationName = "users cache invalidation";

/** The users cache of this running service, loading from its database on a miss. */
function usersCache(context: GrpcServiceContext<UserServiceConfig>) {
  return userCacheOf(context, (userId) =>
    createUserRepository(context.database.db).findById(userId),
  );
}

/** What a user-service declaration can be given instead of its defaults. */
export interface UserServiceOptions {
  /** The id a registration gets (default: a random UUID v4, `newUserId`). */
  newUserId?: () => string;
}

/**
 * user-service, declared: its own database, the user events it produces through the outbox,
 * idempotent registration, UserService, and GetUser's cache (L1 + NATS KV, invalidated by the
 * user events on every replica; CACHE=off bypasses it). Everything else is the host's
 * (`@switchyard/service-host`). Production, tests, the devstack and benchmarks start
 * `userService`, below; a test that must know a registration's id in advance declares its own.
 */
export function declareUserService(options: UserServiceOptions = {}) {
  return defineGrpcService({
    name: "user-service",
    config: userServiceConfigShape,
    database: { migrationsFolder, migrationsName: "user_service" },
    events: { produces: userEventsStream },
    idempotency: true,
    // The subscription that keeps every replica's cache in step with user events; stopped
    // after gRPC drained, before NATS drains.
    background: async (context) => ({
      [userCacheInvalidationName]: usersCache(context).invalidation,
    }),
    grpc: (context) => [
      bindService(
        UserServiceService,
        createUserServiceHandlers({
          db: context.database.db,
          clock: context.clock,
          idempotencyTtlMs: context.idempotencyTtlMs,
          userCache: usersCache(context).cache,
          newUserId: options.newUserId ?? newUserId,
        }),
      ),
    ],
  });
}

/** user-service as production, the devstack, drills and benchmarks run it. */
export const userService = declareUserService();
