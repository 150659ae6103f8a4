import type { NatsConnection } from "@nats-io/transport-node";
import {
  type CacheConfig,
  createServiceCache,
  type EventInvalidation,
  invalidatedByAll,
  type TieredCache,
} from "@switchyard/cache";
import { type EventNamespace, userChangeEvents } from "@switchyard/events";
import type { Logger } from "@switchyard/logging";
import type { User } from "../domain/user.js";
import { userCodec } from "./user-codec.js";

/** Name of the users cache: metric attribute `cache.name`, and its L2 bucket `cache_user-service_users`. */
export const userCacheName = "user-service.users";

/**
 * The GetUser cache of one replica: L1 in process, L2 in NATS KV shared by the replicas, the
 * users table behind both. Every user event deletes its user from both tiers on every replica
 * (UserRegistered too: it ends a cached "not found"); the write path also invalidates right
 * after its commit, so the replica that wrote never waits for its own event.
 */
export function createUserCache(options: {
  config: CacheConfig;
  nats: NatsConnection;
  namespace: EventNamespace;
  logger: Logger;
  /** Reads one user from the database (undefined: no such user). */
  load(userId: string): Promise<User | undefined>;
}): { cache: TieredCache<User>; invalidation: EventInvalidation } {
  return createServiceCache<User>(
    {
      config: options.config,
      nats: options.nats,
      eventsNamespace: options.namespace,
      logger: options.logger,
    },
    {
      name: userCacheName,
      label: "users",
      load: (userId) => options.load(userId),
      versionOf: (user) => user.version,
      codec: userCodec,
      events: invalidatedByAll(
        userChangeEvents,
        (event) => event.userId,
        (event) => event.userVersion,
      ),
    },
  );
}

/** What a service context gives the users cache (the host's context has all of it). */
export interface UserCacheContext {
  readonly config: CacheConfig;
  readonly nats: NatsConnection;
  readonly eventsNamespace: EventNamespace;
  readonly logger: Logger;
}

const perContext = new WeakMap<UserCacheContext, ReturnType<typeof createUserCache>>();

/**
 * THE users cache of a running service: made once per service context, so the `background`
 * hook (which owns the event subscription) and the gRPC handlers share it.
 */
export function userCacheOf(
  context: UserCacheContext,
  load: (userId: string) => Promise<User | undefined>,
): ReturnType<typeof createUserCache> {
  let made = perContext.get(context);
  if (made === undefined) {
    made = createUserCache({
      config: context.config,
      nats: context.nats,
      namespace: context.eventsNamespace,
      logger: context.logger,
      load,
    });
    perContext.set(context, made);
  }
  return made;
}

/** The users cache a running service made (tests read its `stats()`), if it made one. */
export function runningUserCache(context: object): TieredCache<User> | undefined {
  return perContext.get(context as UserCacheContext)?.cache;
}
